// Logical hostname for Baton: a failover IP address. start configures it with iproute2 and tells
// the neighbours (gratuitous ARP, unsolicited neighbour advertisement) so their caches point at
// this node at once; stop removes it; probe says whether it is here and its adapter works.
// Every method takes ctx (the only door to the host) and returns a ctx result.

const IP_TIMEOUT_MS = 3000;
const TOOL_CHECK_TIMEOUT_MS = 2000;
// `ip -j addr show` of a host with many containers is long; cut output would not parse.
const IP_JSON_MAX_BYTES = 4 * 1024 * 1024;

// Announcements run detached so that start returns as soon as the address is configured: arping
// waits about a second after each packet. The first one goes out at once; each later one only while
// the address is still on the adapter, so a stop or a move in between ends the announcing.
// Arguments: COUNT DEV ADDR PAUSE_S COMMAND...; exit 127 (and nothing runs) when COMMAND is missing.
// One line, so the method's log shows it on one line.
const ANNOUNCER_SCRIPT = 'count=$1 dev=$2 addr=$3 pause=$4; shift 4; '
  + 'command -v "$1" >/dev/null || { echo "$1 is not installed" >&2; exit 127; }; '
  + '( i=0; while [ "$i" -lt "$count" ]; do '
  + 'if [ "$i" -gt 0 ]; then sleep "$pause"; [ -n "$(ip -o addr show dev "$dev" to "$addr")" ] || exit 0; fi; '
  + '"$@"; i=$((i + 1)); done ) </dev/null >/dev/null 2>&1 &';

// ---- methods ----

export function start(ctx) {
  const a = parseAddress(ctx.props.Address);
  if (a.error) return ctx.configError(`Address ${a.error}`);
  const links = readLinks(ctx);
  const placed = place(ctx, a, links);
  if (placed.error) return ctx.failedHard(`${placed.property} ${placed.error}`);
  const link = links.find(l => l.name === placed.adapter);
  const down = linkDown(link);
  if (down) return ctx.failed(`${a.host} not configured: ${down}`);
  const holders = holdersOf(links, a);
  if (holders.some(h => h.link.name === link.name)) {
    return ctx.success(`${a.host} already on ${link.name}; ${announce(ctx, a, link.name)}`);
  }
  const moved = removeFrom(ctx, a, holders); // on another adapter of this node: move it
  if (moved) return ctx.failed(moved);
  const added = addAddress(ctx, a, placed);
  if (added) return ctx.failed(added);
  return ctx.success(`${a.host}/${placed.prefix} on ${link.name}; ${announce(ctx, a, link.name)}`);
}

export function stop(ctx) {
  const a = parseAddress(ctx.props.Address);
  if (a.error) return ctx.success(`nothing to remove: Address ${a.error}`);
  const holders = holdersOf(readLinks(ctx), a);
  if (holders.length === 0) return ctx.success(`${a.host} is not configured on node ${ctx.node}`);
  const failure = removeFrom(ctx, a, holders);
  if (failure) return ctx.failed(failure);
  return ctx.success(`removed ${a.host} from ${holders.map(h => h.link.name).join(", ")}`);
}

export function probe(ctx) {
  const a = parseAddress(ctx.props.Address);
  if (a.error) return ctx.configError(`Address ${a.error}`);
  const holders = holdersOf(readLinks(ctx), a);
  if (holders.length === 0) return ctx.notRunning(`${a.host} is not configured on node ${ctx.node}`);
  if (holders.length > 1) {
    return ctx.failed(`${a.host} is configured on ${holders.length} adapters: ${holders.map(h => h.link.name).join(", ")}`);
  }
  const {link, addr} = holders[0];
  if (ctx.props.Adapter && link.name !== ctx.props.Adapter) {
    return ctx.failed(`${a.host} is on ${link.name}, not on Adapter ${ctx.props.Adapter}`);
  }
  const down = linkDown(link);
  if (down) return ctx.failed(`${a.host} is configured on ${link.name}, but the adapter is down: ${down}`);
  if (addr.dadfailed) return ctx.failed(`${a.host} on ${link.name} failed duplicate address detection: another host uses it`);
  return ctx.running(`${a.host}/${addr.prefix} on ${link.name}`);
}

export function validate(ctx) {
  const a = parseAddress(ctx.props.Address);
  const links = readLinks(ctx);
  if (a.error) {
    ctx.problem("Address", a.error);
    if (ctx.props.Adapter && !links.some(l => l.name === ctx.props.Adapter)) {
      ctx.problem("Adapter", noSuchAdapter(ctx, ctx.props.Adapter, links));
    }
    return ctx.success();
  }
  const placed = place(ctx, a, links);
  if (placed.error) {
    ctx.problem(placed.property, placed.error);
  }
  checkAnnouncer(ctx, a);
  return ctx.success(placed.error ? "" : `${a.host}/${placed.prefix} on ${placed.adapter}`);
}

// ---- where the address goes ----

// The adapter and prefix for this address on this node: {adapter, prefix}, or {property, error}.
function place(ctx, a, links) {
  const named = ctx.props.Adapter;
  if (named) return placeOnNamed(ctx, a, named, links);
  const candidates = links.filter(l => subnetHolding(l, a) !== null);
  if (candidates.length === 0) {
    return {property: "Adapter", error: `is not set, and no adapter of node ${ctx.node} has a subnet holding `
        + `${a.host} (${describeSubnets(links, a.family)}): set Adapter, and write Address as ${a.host}/PREFIX`};
  }
  if (candidates.length > 1) {
    return {property: "Adapter", error: `is not set, and ${candidates.length} adapters of node ${ctx.node} have a subnet `
        + `holding ${a.host} (${describeSubnets(candidates, a.family)}): set Adapter to one of them`};
  }
  const link = candidates[0];
  return {adapter: link.name, prefix: a.prefix !== null ? a.prefix : subnetHolding(link, a).prefix};
}

function placeOnNamed(ctx, a, name, links) {
  const link = links.find(l => l.name === name);
  if (!link) return {property: "Adapter", error: noSuchAdapter(ctx, name, links)};
  if (a.prefix !== null) return {adapter: name, prefix: a.prefix};
  const subnet = subnetHolding(link, a);
  if (!subnet) {
    return {property: "Address", error: `has no /PREFIX, and no subnet of ${name} holds ${a.host} `
        + `(${describeSubnets([link], a.family)}): write it as ${a.host}/PREFIX`};
  }
  return {adapter: name, prefix: subnet.prefix};
}

function noSuchAdapter(ctx, name, links) {
  return `'${name}' is not an adapter of node ${ctx.node} (adapters: ${links.map(l => l.name).join(", ")})`;
}

// The adapter's configured address whose subnet holds a, not counting a itself (so the answer is
// the same before and after start), or null.
function subnetHolding(link, a) {
  return link.addrs.find(x => x.family === a.family && !sameBytes(x.bytes, a.bytes)
      && inSubnet(a.bytes, x.bytes, x.prefix)) || null;
}

function holdersOf(links, a) {
  const holders = [];
  for (const link of links) {
    for (const addr of link.addrs) {
      if (addr.family === a.family && sameBytes(addr.bytes, a.bytes)) holders.push({link, addr});
    }
  }
  return holders;
}

function describeSubnets(links, family) {
  const parts = links.map(l => {
    const subnets = l.addrs.filter(x => x.family === family).map(x => `${x.text}/${x.prefix}`);
    return `${l.name}: ${subnets.length ? subnets.join(" ") : "none"}`;
  });
  return parts.length ? parts.join("; ") : "no adapters";
}

// Why the adapter cannot carry traffic, or null when it can.
function linkDown(link) {
  if (!link.flags.includes("UP")) return `${link.name} is administratively down`;
  if (link.operstate === "UP" || link.flags.includes("LOWER_UP")) return null;
  return `${link.name} has no carrier (operstate ${link.operstate})`;
}

// ---- iproute2 ----

// Every adapter with its flags, operational state and addresses, from `ip -j addr show`.
function readLinks(ctx) {
  const r = ip(ctx, ["-j", "addr", "show"], IP_JSON_MAX_BYTES);
  if (r.exitCode !== 0) throw new Error(`ip -j addr show exited ${r.exitCode}: ${lastLine(r.stderr)}`);
  if (r.truncated) throw new Error(`ip -j addr show printed more than ${IP_JSON_MAX_BYTES} bytes`);
  return JSON.parse(r.stdout).map(link => ({
    name: link.ifname,
    flags: link.flags || [],
    operstate: link.operstate || "UNKNOWN",
    addrs: (link.addr_info || []).map(readAddr).filter(x => x !== null),
  }));
}

function readAddr(info) {
  const family = info.family === "inet" ? 4 : info.family === "inet6" ? 6 : 0;
  const bytes = family === 4 ? parseIpv4(info.local || "") : family === 6 ? parseIpv6(info.local || "") : null;
  if (bytes === null) return null;
  return {family, bytes, text: info.local, prefix: info.prefixlen, dadfailed: info.dadfailed === true};
}

function addAddress(ctx, a, placed) {
  const cidr = `${a.host}/${placed.prefix}`;
  // nodad: usable at once. Duplicate address detection would hold it back for a second or more,
  // and fencing, not DAD, is what keeps the old owner off it.
  const args = ["addr", "add", cidr, "dev", placed.adapter].concat(a.family === 6 ? ["nodad"] : []);
  const r = ip(ctx, args);
  if (r.exitCode === 0 || /File exists/.test(r.stderr)) return null;
  return `ip ${args.join(" ")} exited ${r.exitCode}: ${lastLine(r.stderr)}`;
}

// Removes the address from every adapter holding it; an error message, or null.
function removeFrom(ctx, a, holders) {
  for (const h of holders) {
    const args = ["addr", "del", `${a.host}/${h.addr.prefix}`, "dev", h.link.name];
    const r = ip(ctx, args);
    if (r.exitCode !== 0 && !/Cannot assign requested address/.test(r.stderr)) {
      return `ip ${args.join(" ")} exited ${r.exitCode}: ${lastLine(r.stderr)}`;
    }
  }
  return null;
}

function ip(ctx, args, maxOutputBytes) {
  const options = {timeoutMs: Math.max(1, Math.min(IP_TIMEOUT_MS, ctx.remainingMs()))};
  if (maxOutputBytes) options.maxOutputBytes = maxOutputBytes;
  const r = ctx.exec(["ip"].concat(args), options);
  if (r.exitCode === 127) throw new Error(`ip (package iproute2) is not installed on node ${ctx.node}`);
  return r;
}

// ---- announcing ----

// IPv4: arping's gratuitous ARP request; it waits about a second after the packet, which is the
// interval. IPv6: na6 (ipv6toolkit) sends an unsolicited neighbour advertisement with the override
// flag to all nodes and returns at once. The kernel sends none for a nodad address, whatever
// ndisc_notify says.
function announcer(a, dev) {
  return a.family === 4
    ? {tool: "arping", pkg: "iputils-arping", pauseS: 0, argv: ["arping", "-q", "-U", "-c", "1", "-I", dev, a.host]}
    : {tool: "na6", pkg: "ipv6toolkit", pauseS: 1,
       argv: ["na6", "-i", dev, "-s", a.host, "-d", "ff02::1", "-t", a.host, "-o", "-e"]};
}

// Dispatches the announcements and says what it did. A missing tool does not fail start: the
// address works, the neighbours only learn it later (validate reports the missing tool).
function announce(ctx, a, dev) {
  const count = ctx.props.Announce_count;
  if (count === 0) return "not announced (Announce_count is 0)";
  const how = announcer(a, dev);
  const r = ctx.exec(["sh", "-c", ANNOUNCER_SCRIPT, "sh", String(count), dev, a.host, String(how.pauseS)].concat(how.argv),
      {timeoutMs: Math.max(1, Math.min(IP_TIMEOUT_MS, ctx.remainingMs()))});
  if (r.exitCode === 0) return `announcing ${count}x with ${how.tool}`;
  const why = r.exitCode === 127 ? `${how.tool} is not installed (package ${how.pkg})` : lastLine(r.stderr);
  ctx.log.warn(`${a.host} not announced: ${why}; neighbours learn the move only when their caches expire`);
  return `not announced: ${why}`;
}

function checkAnnouncer(ctx, a) {
  if (ctx.props.Announce_count === 0) return;
  const how = announcer(a, "");
  const r = ctx.exec(["sh", "-c", 'command -v "$1"', "sh", how.tool], {timeoutMs: TOOL_CHECK_TIMEOUT_MS});
  if (r.exitCode !== 0) {
    ctx.problem("Announce_count", `${how.tool} is not installed on node ${ctx.node} (package ${how.pkg}): `
        + "install it, or set Announce_count to 0 to announce nothing");
  }
}

// ---- addresses ----

// {family, host, bytes, prefix (null when not given)}, or {error} saying what is wrong.
function parseAddress(text) {
  const t = String(text === undefined || text === null ? "" : text).trim();
  const slash = t.indexOf("/");
  const host = slash < 0 ? t : t.substring(0, slash);
  const family = host.includes(":") ? 6 : 4;
  const bytes = family === 4 ? parseIpv4(host) : parseIpv6(host);
  if (bytes === null) return {error: `'${t}' is not an IPv4 or IPv6 address (optionally with /PREFIX)`};
  const special = specialAddress(family, bytes);
  if (special) return {error: `'${host}' is ${special}, not an address a service can move with`};
  if (slash < 0) return {family, host, bytes, prefix: null};
  const maxPrefix = family === 4 ? 32 : 128;
  const prefixText = t.substring(slash + 1);
  if (!/^[0-9]{1,3}$/.test(prefixText) || +prefixText < 1 || +prefixText > maxPrefix) {
    return {error: `prefix '/${prefixText}' of ${host} is not a number from 1 to ${maxPrefix}`};
  }
  return {family, host, bytes, prefix: +prefixText};
}

function parseIpv4(s) {
  const parts = s.split(".");
  if (parts.length !== 4 || !parts.every(p => /^(0|[1-9][0-9]{0,2})$/.test(p) && +p <= 255)) return null;
  return parts.map(Number);
}

// The 16 bytes of an IPv6 address (with "::" and an optional dotted IPv4 tail), or null.
function parseIpv6(s) {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return null;
  let body = s;
  let tail = [];
  if (s.includes(".")) {
    const cut = s.lastIndexOf(":");
    const v4 = parseIpv4(s.substring(cut + 1));
    if (v4 === null) return null;
    tail = [(v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]];
    body = s.substring(0, cut + 1);
    if (!body.endsWith("::")) body = body.slice(0, -1);
  }
  const halves = body.split("::");
  if (halves.length > 2) return null;
  const groups = h => (h === "" ? [] : h.split(":"));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  if (!head.concat(rest).every(g => /^[0-9a-fA-F]{1,4}$/.test(g))) return null;
  const given = head.length + rest.length + tail.length;
  if (halves.length === 1 ? given !== 8 : given > 7) return null;
  const zeros = new Array(8 - given).fill(0);
  const words = head.map(g => parseInt(g, 16)).concat(zeros, rest.map(g => parseInt(g, 16)), tail);
  return words.flatMap(w => [w >> 8, w & 0xff]);
}

// Why an address cannot be a logical hostname, or null.
function specialAddress(family, b) {
  if (family === 4) {
    if (b.every(x => x === 0)) return "the unspecified address";
    if (b[0] === 127) return "a loopback address";
    if (b[0] >= 224) return "a multicast, reserved or broadcast address";
    return null;
  }
  if (b.every(x => x === 0)) return "the unspecified address";
  if (b.slice(0, 15).every(x => x === 0) && b[15] === 1) return "the loopback address";
  if (b[0] === 0xff) return "a multicast address";
  if (b[0] === 0xfe && (b[1] & 0xc0) === 0x80) return "a link-local address (it needs a zone)";
  if (b.slice(0, 10).every(x => x === 0) && b[10] === 0xff && b[11] === 0xff) {
    return "an IPv4-mapped address (give the IPv4 address itself)";
  }
  return null;
}

function inSubnet(bytes, net, prefix) {
  for (let bit = 0; bit < prefix; bit += 8) {
    const bits = Math.min(8, prefix - bit);
    const mask = (0xff << (8 - bits)) & 0xff;
    if ((bytes[bit / 8] & mask) !== (net[bit / 8] & mask)) return false;
  }
  return true;
}

function sameBytes(x, y) {
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function lastLine(text) {
  const lines = (text || "").trim().split("\n");
  return lines[lines.length - 1];
}
