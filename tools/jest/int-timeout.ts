// Integration tests cross a real broker and database on a 2-core machine: a generous bound,
// never an unbounded wait (every wait inside a test uses `eventually` with its own bound).
jest.setTimeout(120_000);
