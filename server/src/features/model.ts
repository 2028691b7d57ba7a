// Model commands over LSP: status for the status bar, load, benchmark (with work-done progress and
// cancellation), download (progress, resume, checksum), the API key from VS Code's secret storage.
// The methods and their payload types are declared in ../protocol.ts.
//   hotpath/model/status      request → ModelStatus; also pushed as a notification on every change
//   hotpath/model/load        request → ModelInfo (loads the model now)
//   hotpath/model/unload      request
//   hotpath/model/benchmark   request {contexts?, generate?, repeat?} → {report, text}
//   hotpath/model/download    request {url, sha256?, directory} → {path, sha256, bytes, resumedFrom}
//   hotpath/model/setApiKey   notification {apiKey: string | null}
import type { Feature, ServerContext } from '../featureContext';
import { formatBenchReport, runBenchmark } from '../model/benchmark';
import { modelSettingsOf } from '../model/config';
import { downloadModel } from '../model/download';
import { getModelService } from '../model/service';
import { ModelBenchmarkRequest, ModelDownloadRequest, ModelLoadRequest, ModelStatusNotification, ModelStatusRequest, ModelUnloadRequest, SetApiKeyNotification } from '../protocol';
import { invalidParams, toResponseError, withWorkDoneProgress } from './request';

export const feature: Feature = {
  register(ctx: ServerContext): void {
    const service = getModelService(ctx);
    service.onStatus((s) => void ctx.connection.sendNotification(ModelStatusNotification, s).catch(() => undefined));

    ctx.connection.onNotification(SetApiKeyNotification, (p) => {
      service.setApiKey(typeof p?.apiKey === 'string' ? p.apiKey : undefined);
    });

    ctx.connection.onRequest(ModelStatusRequest, async () => {
      await service.engine().catch(() => undefined);
      return service.status();
    });

    ctx.connection.onRequest(ModelLoadRequest, async (token) => {
      try {
        return await withWorkDoneProgress(ctx, 'Hotpath: loading the model', token, async (signal) => (await service.engine()).info(signal));
      } catch (err) {
        throw toResponseError(err, 'model');
      }
    });

    ctx.connection.onRequest(ModelUnloadRequest, async () => {
      const engine = await service.engine();
      await engine.unload();
      return null;
    });

    ctx.connection.onRequest(ModelBenchmarkRequest, async (params, token) => {
      try {
        const report = await withWorkDoneProgress(ctx, 'Hotpath: benchmarking the model', token, async (signal, report) =>
          runBenchmark(await service.engine(), {
            contexts: params?.contexts,
            generate: params?.generate,
            repeat: params?.repeat ?? 2,
            signal,
            onProgress: (message, fraction) => report(Math.round(fraction * 100), message),
          }),
        );
        ctx.log(formatBenchReport(report));
        return { report, text: formatBenchReport(report) };
      } catch (err) {
        throw toResponseError(err, 'model');
      }
    });

    ctx.connection.onRequest(ModelDownloadRequest, async (params, token) => {
      const ms = modelSettingsOf(await ctx.settings.get());
      const url = params?.url || ms.download?.url;
      const directory = ms.download?.directory || params?.directory;
      if (!url) throw invalidParams('no download URL: set hotpath.model.download.url');
      if (!directory) throw invalidParams('no download directory');
      try {
        const r = await withWorkDoneProgress(ctx, `Hotpath: downloading ${url.split('/').pop()}`, token, (signal, report) =>
          downloadModel({
            url,
            directory,
            sha256: params?.sha256 ?? ms.download?.sha256,
            signal,
            onProgress: ({ received, total }) => {
              const mb = (n: number) => (n / 1e6).toFixed(1);
              report(total ? Math.floor((received / total) * 100) : 0, total ? `${mb(received)} / ${mb(total)} MB` : `${mb(received)} MB`);
            },
          }),
        );
        ctx.log(`model downloaded: ${r.path} (${r.bytes} bytes, sha256 ${r.sha256}${r.resumedFrom ? `, resumed at ${r.resumedFrom}` : ''})`);
        return r;
      } catch (err) {
        throw toResponseError(err, 'model');
      }
    });
  },
};
