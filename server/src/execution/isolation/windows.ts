// Windows isolation: the program runs in an AppContainer (a restricted "lowbox" token: no
// capabilities, so no network, and access only to objects whose ACLs name the container or ALL
// APPLICATION PACKAGES), inside a job object that kills every process of the run when the launcher
// ends (JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE) and caps the process count and the job's memory.
//
// A small launcher (C#, compiled once with PowerShell's Add-Type into the user's local app data)
// does what Node cannot: CreateAppContainerProfile / DeriveAppContainerSidFromAppContainerName,
// grant the container read access to the plan's read-only folders and full access to the run's
// folder (icacls; inherited ACEs, so a folder is granted once), CreateProcess with
// PROC_THREAD_ATTRIBUTE_SECURITY_CAPABILITIES, AssignProcessToJobObject before the first
// instruction runs (CREATE_SUSPENDED), and the CRT's inherited-handle table (lpReserved2) passed
// through so the harness finds its fd 3 channel. Written from Microsoft's documentation of those
// functions; Hotpath's CI runs on Linux, so this file's argument and source generation is
// unit-tested, and the enforcement itself is not (docs/execution.md says so).

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizePaths, type Isolation, type Launch, type SandboxPlan } from './plan';

export const APPCONTAINER_NAME = 'Hotpath.Sandbox';

export const LAUNCHER_SOURCE = String.raw`
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

public static class HotpathSandbox {
  [StructLayout(LayoutKind.Sequential)] struct SECURITY_CAPABILITIES { public IntPtr AppContainerSid; public IntPtr Capabilities; public uint CapabilityCount; public uint Reserved; }
  [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)] struct STARTUPINFO { public int cb; public string lpReserved; public string lpDesktop; public string lpTitle; public int dwX, dwY, dwXSize, dwYSize, dwXCountChars, dwYCountChars, dwFillAttribute, dwFlags; public short wShowWindow, cbReserved2; public IntPtr lpReserved2, hStdInput, hStdOutput, hStdError; }
  [StructLayout(LayoutKind.Sequential)] struct STARTUPINFOEX { public STARTUPINFO StartupInfo; public IntPtr lpAttributeList; }
  [StructLayout(LayoutKind.Sequential)] struct PROCESS_INFORMATION { public IntPtr hProcess, hThread; public int dwProcessId, dwThreadId; }
  [StructLayout(LayoutKind.Sequential)] struct IO_COUNTERS { public ulong a, b, c, d, e, f; }
  [StructLayout(LayoutKind.Sequential)] struct JOBOBJECT_BASIC_LIMIT_INFORMATION { public long PerProcessUserTimeLimit, PerJobUserTimeLimit; public uint LimitFlags; public UIntPtr MinimumWorkingSetSize, MaximumWorkingSetSize; public uint ActiveProcessLimit; public UIntPtr Affinity; public uint PriorityClass, SchedulingClass; }
  [StructLayout(LayoutKind.Sequential)] struct JOBOBJECT_EXTENDED_LIMIT_INFORMATION { public JOBOBJECT_BASIC_LIMIT_INFORMATION BasicLimitInformation; public IO_COUNTERS IoInfo; public UIntPtr ProcessMemoryLimit, JobMemoryLimit, PeakProcessMemoryUsed, PeakJobMemoryUsed; }

  [DllImport("userenv.dll", CharSet = CharSet.Unicode)] static extern int CreateAppContainerProfile(string name, string display, string description, IntPtr caps, uint count, out IntPtr sid);
  [DllImport("userenv.dll", CharSet = CharSet.Unicode)] static extern int DeriveAppContainerSidFromAppContainerName(string name, out IntPtr sid);
  [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)] static extern bool ConvertSidToStringSid(IntPtr sid, out string s);
  [DllImport("kernel32.dll", SetLastError = true)] static extern bool InitializeProcThreadAttributeList(IntPtr list, int count, int flags, ref IntPtr size);
  [DllImport("kernel32.dll", SetLastError = true)] static extern bool UpdateProcThreadAttribute(IntPtr list, uint flags, IntPtr attr, IntPtr value, IntPtr size, IntPtr prev, IntPtr retSize);
  [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)] static extern bool CreateProcess(string app, StringBuilder cmd, IntPtr pa, IntPtr ta, bool inherit, uint flags, IntPtr env, string cwd, ref STARTUPINFOEX si, out PROCESS_INFORMATION pi);
  [DllImport("kernel32.dll", CharSet = CharSet.Unicode)] static extern void GetStartupInfo(out STARTUPINFO si);
  [DllImport("kernel32.dll", SetLastError = true)] static extern IntPtr GetStdHandle(int n);
  [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)] static extern IntPtr CreateJobObject(IntPtr sa, string name);
  [DllImport("kernel32.dll", SetLastError = true)] static extern bool SetInformationJobObject(IntPtr job, int cls, ref JOBOBJECT_EXTENDED_LIMIT_INFORMATION info, int size);
  [DllImport("kernel32.dll", SetLastError = true)] static extern bool AssignProcessToJobObject(IntPtr job, IntPtr process);
  [DllImport("kernel32.dll", SetLastError = true)] static extern uint ResumeThread(IntPtr thread);
  [DllImport("kernel32.dll", SetLastError = true)] static extern uint WaitForSingleObject(IntPtr h, uint ms);
  [DllImport("kernel32.dll", SetLastError = true)] static extern bool GetExitCodeProcess(IntPtr h, out uint code);

  const int HRESULT_ALREADY_EXISTS = unchecked((int)0x800700B7);
  const uint EXTENDED_STARTUPINFO_PRESENT = 0x00080000, CREATE_SUSPENDED = 0x4, CREATE_UNICODE_ENVIRONMENT = 0x400, CREATE_NO_WINDOW = 0x08000000;
  const int STARTF_USESTDHANDLES = 0x100;
  const uint LIMIT_ACTIVE_PROCESS = 0x8, LIMIT_JOB_MEMORY = 0x200, LIMIT_DIE_ON_UNHANDLED_EXCEPTION = 0x400, LIMIT_KILL_ON_JOB_CLOSE = 0x2000;
  static readonly IntPtr PROC_THREAD_ATTRIBUTE_SECURITY_CAPABILITIES = (IntPtr)0x20009;

  static void Fail(string what) { Console.Error.WriteLine("hotpath-sandbox: " + what + " failed (error " + Marshal.GetLastWin32Error() + ")"); Environment.Exit(125); }

  static void Grant(string sid, string path, string rights) {
    var p = Process.Start(new ProcessStartInfo("icacls", "\"" + path + "\" /grant *" + sid + ":(OI)(CI)" + rights + " /T /C /Q") { UseShellExecute = false, CreateNoWindow = true });
    p.WaitForExit();
  }

  // Arguments: PLAN-FILE. The plan file's lines: the run folder, the process limit, the memory
  // limit in MiB, the command line, then "ro <path>" lines and "env <NAME=value>" lines.
  public static int Main(string[] argv) {
    var lines = File.ReadAllLines(argv[0], Encoding.UTF8);
    string runDir = lines[0]; uint maxProcesses = uint.Parse(lines[1]); ulong memoryMb = ulong.Parse(lines[2]); string commandLine = lines[3];
    var readOnly = new List<string>(); var env = new List<string>();
    for (int i = 4; i < lines.Length; i++) {
      if (lines[i].StartsWith("ro ")) readOnly.Add(lines[i].Substring(3));
      else if (lines[i].StartsWith("env ")) env.Add(lines[i].Substring(4));
    }
    IntPtr sid;
    int hr = CreateAppContainerProfile("${APPCONTAINER_NAME}", "${APPCONTAINER_NAME}", "Runs code measured by Hotpath", IntPtr.Zero, 0, out sid);
    if (hr == HRESULT_ALREADY_EXISTS) hr = DeriveAppContainerSidFromAppContainerName("${APPCONTAINER_NAME}", out sid);
    if (hr != 0) { Console.Error.WriteLine("hotpath-sandbox: no AppContainer (HRESULT " + hr + ")"); return 125; }
    string sidString; if (!ConvertSidToStringSid(sid, out sidString)) Fail("ConvertSidToStringSid");
    // Granted once per folder: a marker in the folder's ACL is the grant itself (icacls is idempotent).
    foreach (var p in readOnly) Grant(sidString, p, "(RX)");
    Grant(sidString, runDir, "(F)");

    IntPtr job = CreateJobObject(IntPtr.Zero, null);
    if (job == IntPtr.Zero) Fail("CreateJobObject");
    var limits = new JOBOBJECT_EXTENDED_LIMIT_INFORMATION();
    limits.BasicLimitInformation.LimitFlags = LIMIT_KILL_ON_JOB_CLOSE | LIMIT_ACTIVE_PROCESS | LIMIT_JOB_MEMORY | LIMIT_DIE_ON_UNHANDLED_EXCEPTION;
    limits.BasicLimitInformation.ActiveProcessLimit = maxProcesses;
    limits.JobMemoryLimit = (UIntPtr)(memoryMb * 1024 * 1024);
    if (!SetInformationJobObject(job, 9, ref limits, Marshal.SizeOf(limits))) Fail("SetInformationJobObject");

    var caps = new SECURITY_CAPABILITIES { AppContainerSid = sid, Capabilities = IntPtr.Zero, CapabilityCount = 0 };
    IntPtr capsPtr = Marshal.AllocHGlobal(Marshal.SizeOf(caps)); Marshal.StructureToPtr(caps, capsPtr, false);
    IntPtr size = IntPtr.Zero; InitializeProcThreadAttributeList(IntPtr.Zero, 1, 0, ref size);
    IntPtr list = Marshal.AllocHGlobal(size);
    if (!InitializeProcThreadAttributeList(list, 1, 0, ref size)) Fail("InitializeProcThreadAttributeList");
    if (!UpdateProcThreadAttribute(list, 0, PROC_THREAD_ATTRIBUTE_SECURITY_CAPABILITIES, capsPtr, (IntPtr)Marshal.SizeOf(caps), IntPtr.Zero, IntPtr.Zero)) Fail("UpdateProcThreadAttribute");

    STARTUPINFO own; GetStartupInfo(out own);
    var si = new STARTUPINFOEX();
    si.StartupInfo.cb = Marshal.SizeOf(si);
    si.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
    si.StartupInfo.hStdInput = GetStdHandle(-10); si.StartupInfo.hStdOutput = GetStdHandle(-11); si.StartupInfo.hStdError = GetStdHandle(-12);
    // The C runtime's table of inherited descriptors (Node passes fd 3 this way): passed on as is.
    si.StartupInfo.cbReserved2 = own.cbReserved2; si.StartupInfo.lpReserved2 = own.lpReserved2;
    si.lpAttributeList = list;

    var block = new StringBuilder(); env.Sort(StringComparer.OrdinalIgnoreCase);
    foreach (var e in env) block.Append(e).Append('\0');
    block.Append('\0');
    IntPtr envPtr = Marshal.StringToHGlobalUni(block.ToString());

    PROCESS_INFORMATION pi;
    if (!CreateProcess(null, new StringBuilder(commandLine), IntPtr.Zero, IntPtr.Zero, true, EXTENDED_STARTUPINFO_PRESENT | CREATE_SUSPENDED | CREATE_UNICODE_ENVIRONMENT | CREATE_NO_WINDOW, envPtr, runDir, ref si, out pi)) Fail("CreateProcess");
    if (!AssignProcessToJobObject(job, pi.hProcess)) Fail("AssignProcessToJobObject");
    ResumeThread(pi.hThread);
    WaitForSingleObject(pi.hProcess, 0xFFFFFFFF);
    uint code; GetExitCodeProcess(pi.hProcess, out code);
    // Returning closes the job handle: every process left in the job is killed.
    return (int)code;
  }
}
`;

/** A Windows command line for CreateProcess (the quoting rules of CommandLineToArgvW). */
export function windowsCommandLine(args: string[]): string {
  return args
    .map((a) => {
      if (a.length > 0 && !/[\s"]/.test(a)) return a;
      let out = '"';
      let slashes = 0;
      for (const ch of a) {
        if (ch === '\\') slashes++;
        else if (ch === '"') {
          out += '\\'.repeat(slashes * 2 + 1) + '"';
          slashes = 0;
        } else {
          out += '\\'.repeat(slashes) + ch;
          slashes = 0;
        }
      }
      return out + '\\'.repeat(slashes * 2) + '"';
    })
    .join(' ');
}

/** The plan file the launcher reads (see Main in LAUNCHER_SOURCE). */
export function launcherPlan(plan: SandboxPlan, limits: { maxProcesses: number; memoryMb: number }): string {
  return [
    plan.runDir,
    String(limits.maxProcesses),
    String(limits.memoryMb),
    windowsCommandLine([plan.command, ...plan.args]),
    ...normalizePaths(plan.readOnly, '\\').map((p) => `ro ${p}`),
    ...Object.entries(plan.env).map(([k, v]) => `env ${k}=${v}`),
  ].join('\r\n');
}

/** The compiled launcher (built on first use into the user's local app data), or undefined when PowerShell cannot build it. */
export function windowsLauncher(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = join(env.LOCALAPPDATA ?? join(env.USERPROFILE ?? '.', 'AppData', 'Local'), 'hotpath');
  const exe = join(dir, `sandbox-launcher-${createHash('sha256').update(LAUNCHER_SOURCE).digest('hex').slice(0, 12)}.exe`);
  if (existsSync(exe)) return exe;
  try {
    mkdirSync(dir, { recursive: true });
    const src = join(dir, 'sandbox-launcher.cs');
    writeFileSync(src, LAUNCHER_SOURCE);
    const ps = `Add-Type -Path '${src.replace(/'/g, "''")}' -OutputAssembly '${exe.replace(/'/g, "''")}' -OutputType ConsoleApplication`;
    const r = spawnSync('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', ps], { timeout: 120000, stdio: 'ignore' });
    return r.status === 0 && existsSync(exe) ? exe : undefined;
  } catch {
    return undefined;
  }
}

export const appContainerIsolation = (launcher: string, limits = { maxProcesses: 64, memoryMb: 4096 }): Isolation => ({
  kind: 'appcontainer',
  description: 'sandboxed in an AppContainer and a job object (no network, read access only where granted, every process killed with the run)',
  holds: { filesystem: true, network: true, processes: true, environment: true },
  wrap(plan): Launch {
    const file = join(plan.runDir, 'sandbox-plan.txt');
    writeFileSync(file, launcherPlan(plan, limits), 'utf8');
    return { command: launcher, args: [file], env: plan.env };
  },
});
