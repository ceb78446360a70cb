// A fault scenario boots the whole stack, runs a load, injects a fault and waits for lag 0: minutes,
// each step bounded on its own (tools/faults/support).
jest.setTimeout(900_000);

// The fault suite runs in jest's own process (--runInBand): a child process, socket or server a spec file
// leaves behind would keep that process alive after the run (a CI run once never ended after its last
// table). scripts/test-faults.mjs passes --forceExit, so that can no longer hang a run; this names what
// was left, so that it gets closed where it was opened. (Timers are not listed: jest's own hook timers
// are live here.)
const leaks = new Set(['ProcessWrap', 'TCPWRAP', 'TCPSocketWrap', 'TCPServerWrap', 'UDPWRAP', 'FSEventWrap']);
afterAll(async () => {
  await new Promise((resolve) => setTimeout(resolve, 1_000).unref());
  const left = process.getActiveResourcesInfo().filter((kind) => leaks.has(kind));
  if (left.length > 0)
    process.stdout.write(
      `\n(fault suite: ${expect.getState().testPath ?? 'a spec file'} left open: ${left.join(', ')})\n`,
    );
});
