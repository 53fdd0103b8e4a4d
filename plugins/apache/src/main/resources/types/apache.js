// Apache HTTP Server for Baton: start, stop, probe and validate, like an OCF agent but shorter.
// Every method takes ctx (the only door to the host) and returns a ctx result.

const POLL_MS = 100;
// Shares of stop's remaining budget: graceful first, then SIGTERM, and SIGKILL gets the rest.
const GRACEFUL_SHARE = 0.5;
const TERM_SHARE = 0.5;

// ---- methods ----

export function start(ctx) {
  const l = layout(ctx);
  const pid = mainPid(ctx, l);
  if (pid !== null) {
    if (waitForAnswer(ctx, l, ctx.props.Probe_http_timeout)) {
      return ctx.success(`already running as pid ${pid}`);
    }
    ctx.log.warn(`pid ${pid} runs but does not answer ${l.url}: killing it before starting afresh`);
    killGroupAndWait(ctx, pid, ctx.remainingMs() / 4);
  }
  if (l.generated) {
    writeGeneratedConfig(ctx, l);
  } else {
    ctx.mkdirs(l.root);
  }
  // httpd -k start trusts a pid file naming any live process and then starts nothing.
  ctx.removeFile(l.pidFile);
  ctx.trackPidFile(l.pidFile); // on a timeout, the runtime kills the daemon named there
  const r = ctx.exec([ctx.props.Bin, "-f", l.conf, "-k", "start"]);
  if (r.exitCode === 126 || r.exitCode === 127) {
    return ctx.failedHard(`${ctx.props.Bin} cannot be executed on this node: ${lastLine(r.stderr)}`);
  }
  if (r.exitCode !== 0) {
    return ctx.failed(`${ctx.props.Bin} -k start exited ${r.exitCode}: ${errorSummary(r.stderr || r.stdout)}`);
  }
  // httpd forks and returns before it serves: wait until it answers (the deadline bounds the wait).
  while (ctx.remainingMs() > 0) {
    const check = answer(ctx, l, Math.min(1000, ctx.remainingMs()));
    if (check.ok) {
      return ctx.success(`pid ${ctx.readPidFile(l.pidFile)} answers ${l.url} with ${check.status}`);
    }
    ctx.sleep(POLL_MS);
  }
  return ctx.failed(`started, but ${l.url} never answered with ${ctx.props.Probe_expected_status}`);
}

export function stop(ctx) {
  const l = layout(ctx);
  const pid = mainPid(ctx, l);
  if (pid === null) {
    ctx.removeFile(l.pidFile);
    return ctx.success("not running");
  }
  const gracefulMs = Math.min(ctx.props.Graceful_stop_timeout, ctx.remainingMs() * GRACEFUL_SHARE);
  if (gracefulMs > 0) {
    ctx.signal(pid, "WINCH"); // httpd's graceful-stop: open requests finish
    if (waitGone(ctx, pid, gracefulMs)) {
      return stopped(ctx, l, pid, "stopped gracefully");
    }
    ctx.log.warn(`pid ${pid} still running after a graceful stop of ${Math.round(gracefulMs)} ms: sending SIGTERM`);
  }
  ctx.signal(pid, "TERM");
  if (waitGone(ctx, pid, ctx.remainingMs() * TERM_SHARE)) {
    return stopped(ctx, l, pid, "stopped with SIGTERM");
  }
  ctx.log.warn(`pid ${pid} still running after SIGTERM: sending SIGKILL to its process group`);
  if (killGroupAndWait(ctx, pid, ctx.remainingMs() - POLL_MS)) {
    return stopped(ctx, l, pid, "killed with SIGKILL");
  }
  return ctx.failed(`pid ${pid} survived SIGKILL`);
}

export function probe(ctx) {
  const l = layout(ctx);
  const pid = mainPid(ctx, l);
  if (pid === null) {
    return ctx.notRunning(`no httpd process (pid file ${l.pidFile})`);
  }
  const timeoutMs = Math.min(ctx.props.Probe_http_timeout, ctx.remainingMs() - 250);
  const check = answer(ctx, l, Math.max(1, timeoutMs));
  if (check.ok) {
    return ctx.running(`pid ${pid}: GET ${l.url} answered ${check.status}`);
  }
  const why = check.status === 0 ? `got no answer (${check.error})`
      : `answered ${check.status}, expected ${ctx.props.Probe_expected_status}`;
  return ctx.failed(`pid ${pid} is alive but GET ${l.url} ${why}`);
}

export function validate(ctx) {
  const p = ctx.props;
  const l = layout(ctx);
  checkBinary(ctx);
  if (!p.Server_root.startsWith("/")) {
    ctx.problem("Server_root", `'${p.Server_root}' is not an absolute path`);
  }
  if (p.Listen_address && !/^(\*|[0-9.]+|[0-9a-fA-F:]+|[A-Za-z0-9.-]+)$/.test(p.Listen_address)) {
    ctx.problem("Listen_address", `'${p.Listen_address}' is not an address or host name`);
  }
  if (p.Probe_url && !/^https?:\/\/[^\s/]+/.test(p.Probe_url)) {
    ctx.problem("Probe_url", `'${p.Probe_url}' is not an http:// or https:// URL`);
  }
  if (l.generated) {
    checkGeneratedInputs(ctx, l);
  } else {
    checkOwnConfig(ctx, l);
  }
  return ctx.success(`${l.generated ? "generated" : "own"} configuration, ${l.url}`);
}

// ---- layout and configuration ----

function layout(ctx) {
  const p = ctx.props;
  const root = p.Server_root;
  return {
    root,
    generated: !p.Config_file,
    conf: p.Config_file || `${root}/conf/baton-httpd.conf`,
    // A pid means something only on the machine that wrote it: with Server_root on storage that moves
    // between nodes, each node keeps its own pid file, so a probe never trusts another node's pid.
    pidFile: p.Pid_file || `${root}/run/httpd-${ctx.node}.pid`,
    docRoot: p.Document_root || `${root}/htdocs`,
    url: p.Probe_url || `http://${probeHost(p.Listen_address)}:${p.Port}/`,
  };
}

function probeHost(address) {
  if (!address || address === "*" || address === "0.0.0.0") return "127.0.0.1";
  if (address === "::") return "[::1]";
  return address.includes(":") ? `[${address}]` : address;
}

function listenDirective(ctx) {
  const a = ctx.props.Listen_address;
  if (!a || a === "*") return `Listen ${ctx.props.Port}`;
  return `Listen ${a.includes(":") ? `[${a}]` : a}:${ctx.props.Port}`;
}

function writeGeneratedConfig(ctx, l) {
  for (const dir of ["conf", "run", "logs"]) ctx.mkdirs(`${l.root}/${dir}`);
  if (!ctx.props.Document_root) ctx.mkdirs(l.docRoot);
  const mods = ctx.props.Modules_dir;
  const lines = [
    `# Generated by Baton for resource ${ctx.resource}; edits are overwritten at the next start.`,
    `ServerRoot "${l.root}"`,
    `ServerName ${ctx.resource}`,
    `PidFile "${l.pidFile}"`,
    `DefaultRuntimeDir "${l.root}/run"`,
    `Mutex file:${l.root}/run default`,
    `ErrorLog "${l.root}/logs/error.log"`,
    "LogLevel warn",
    listenDirective(ctx),
    `LoadModule mpm_event_module ${mods}/mod_mpm_event.so`,
    `LoadModule authz_core_module ${mods}/mod_authz_core.so`,
    `LoadModule dir_module ${mods}/mod_dir.so`,
    `LoadModule mime_module ${mods}/mod_mime.so`,
    "TypesConfig /dev/null",
    "AddType text/html .html",
    "AddType text/plain .txt",
  ];
  if (ctx.props.Run_user) lines.push(`User ${ctx.props.Run_user}`);
  if (ctx.props.Run_group) lines.push(`Group ${ctx.props.Run_group}`);
  lines.push(
    `DocumentRoot "${l.docRoot}"`,
    `<Directory "${l.docRoot}">`,
    "  Require all granted",
    "</Directory>",
    "DirectoryIndex index.html");
  ctx.writeFile(l.conf, lines.join("\n") + "\n");
}

// ---- processes and answers ----

// The pid in the pid file if it names a live httpd; a stale file or a reused pid gives null.
function mainPid(ctx, l) {
  const pid = ctx.readPidFile(l.pidFile);
  if (pid === null || !ctx.pidAlive(pid)) return null;
  const command = ctx.pidCommand(pid);
  if (command !== null && basename(command) !== basename(ctx.props.Bin)) {
    ctx.log.warn(`pid file ${l.pidFile} names pid ${pid}, which runs ${command}, not httpd: ignoring it`);
    return null;
  }
  return pid;
}

function answer(ctx, l, timeoutMs) {
  const r = ctx.httpGet(l.url, {timeoutMs: Math.max(1, Math.floor(timeoutMs))});
  return {ok: r.status === ctx.props.Probe_expected_status, status: r.status, error: r.error};
}

function waitForAnswer(ctx, l, withinMs) {
  const until = ctx.remainingMs() - withinMs;
  while (ctx.remainingMs() > Math.max(0, until)) {
    if (answer(ctx, l, Math.min(1000, ctx.remainingMs())).ok) return true;
    ctx.sleep(POLL_MS);
  }
  return false;
}

function waitGone(ctx, pid, withinMs) {
  const until = ctx.remainingMs() - withinMs;
  while (ctx.pidAlive(pid)) {
    if (ctx.remainingMs() <= Math.max(0, until)) return false;
    ctx.sleep(Math.min(POLL_MS / 2, ctx.remainingMs()));
  }
  return true;
}

// httpd leads its own process group: SIGKILL reaches the workers too.
function killGroupAndWait(ctx, pid, withinMs) {
  ctx.signalGroup(pid, "KILL");
  return waitGone(ctx, pid, withinMs);
}

function stopped(ctx, l, pid, how) {
  if (ctx.signalGroup(pid, "KILL")) {
    ctx.log.warn(`killed workers left behind by pid ${pid}`);
  }
  ctx.removeFile(l.pidFile);
  return ctx.success(`${how} (pid ${pid})`);
}

// ---- validation ----

function checkBinary(ctx) {
  const r = ctx.exec([ctx.props.Bin, "-v"], {timeoutMs: 5000});
  if (r.exitCode !== 0) {
    ctx.problem("Bin", `'${ctx.props.Bin}' does not run: ${lastLine(r.stderr) || "exit " + r.exitCode}`);
  }
}

function checkGeneratedInputs(ctx, l) {
  const p = ctx.props;
  if (p.Document_root && !ctx.fileExists(p.Document_root)) {
    ctx.problem("Document_root", `${p.Document_root} does not exist`);
  }
  if (!ctx.fileExists(`${p.Modules_dir}/mod_mpm_event.so`)) {
    ctx.problem("Modules_dir", `${p.Modules_dir}/mod_mpm_event.so does not exist`);
  }
  if (p.Run_user && ctx.exec(["getent", "passwd", p.Run_user], {timeoutMs: 5000}).exitCode !== 0) {
    ctx.problem("Run_user", `no such user '${p.Run_user}' on node ${ctx.node}`);
  }
  if (p.Run_group && ctx.exec(["getent", "group", p.Run_group], {timeoutMs: 5000}).exitCode !== 0) {
    ctx.problem("Run_group", `no such group '${p.Run_group}' on node ${ctx.node}`);
  }
}

function checkOwnConfig(ctx, l) {
  const p = ctx.props;
  if (!p.Pid_file) {
    ctx.problem("Pid_file", "required with Config_file: set it to the configuration's PidFile");
  }
  if (!ctx.fileExists(p.Config_file)) {
    ctx.problem("Config_file", `${p.Config_file} does not exist`);
    return;
  }
  const r = ctx.exec([p.Bin, "-t", "-f", p.Config_file], {timeoutMs: 10000});
  if (r.exitCode !== 0) {
    ctx.problem("Config_file", `httpd -t rejects it: ${errorSummary(r.stderr || r.stdout)}`);
  }
}

// ---- text helpers ----

function basename(path) {
  return path.substring(path.lastIndexOf("/") + 1);
}

// httpd's own error lines (AHnnnnn: …, with the detail line some of them continue on), or the
// last line of the output when it printed none.
function errorSummary(text) {
  const lines = (text || "").split("\n");
  const errors = [];
  lines.forEach((line, i) => {
    if (!/AH\d{5}/.test(line)) return;
    const detail = line.trimEnd().endsWith(":") && i + 1 < lines.length ? " " + lines[i + 1].trim() : "";
    errors.push(line.replace(/^.*?(AH\d{5})/, "$1").trim() + detail);
  });
  return errors.length > 0 ? errors.join(" | ") : lastLine(text);
}

function lastLine(text) {
  const lines = (text || "").trim().split("\n");
  return lines[lines.length - 1];
}
