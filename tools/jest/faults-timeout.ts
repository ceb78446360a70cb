// A fault scenario boots the whole stack, runs a load, injects a fault and waits for lag 0: minutes,
// each step bounded on its own (tools/faults/support).
jest.setTimeout(900_000);
