// A Node client written the way the provider's "Handling errors" page writes
// one (built-in fetch, a switch on the status), run against astudio-mock.
// It runs a generation to the end, then takes each branch of the switch:
// 400, 401, 402, 404 and 429. Exit code 0 means every assertion held.
//
//   ARTIFICIAL_STUDIO_BASE_URL=http://127.0.0.1:8080 node seed_errors.mjs
import assert from 'node:assert/strict';

const BASE = process.env.ARTIFICIAL_STUDIO_BASE_URL ?? 'http://127.0.0.1:8080';
const PRO_KEY = 'demo-pro-key';
const FREE_KEY = 'demo-free-key';
const EMPTY_KEY = 'demo-empty-key';

class ApiError extends Error {
  constructor(message, status, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

// The seed's function, with the key and the base URL as parameters.
const generate = async (tool, input, apiKey = PRO_KEY) => {
  const response = await fetch(`${BASE}/api/run`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'Authorization': apiKey
    },
    body: JSON.stringify({ tool, input })
  });

  if (!response.ok) {
    const error = await response.json();

    switch (response.status) {
      case 401:
        throw new ApiError('Invalid API key', 401, error);
      case 402:
        throw new ApiError('Insufficient credits', 402, error);
      case 429:
        throw new ApiError('Rate limit exceeded. Retry later.', 429, error);
      default:
        throw new ApiError(error.message || 'Request failed', response.status, error);
    }
  }

  return response.json();
};

const get = async (path, apiKey = PRO_KEY) => {
  const response = await fetch(`${BASE}${path}`, { headers: { 'Authorization': apiKey } });
  return { status: response.status, headers: response.headers, body: await response.json() };
};

const expectError = async (promise) => {
  try {
    await promise;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  assert.fail('expected an API error');
};

// A generation, run to the end.
const started = await generate('create-image', { prompt: 'a lighthouse at dusk' });
assert.match(started.id, /^[0-9a-f]{24}$/);
assert.equal(started.tool, 'create-image');
let generation;
for (let i = 0; i < 200; i++) {
  generation = (await get(`/api/generations/${started.id}`)).body;
  if (generation.status === 'success' || generation.status === 'error') break;
  await new Promise((r) => setTimeout(r, 50));
}
assert.equal(generation.status, 'success');
const image = await fetch(generation.output);
const bytes = new Uint8Array(await image.arrayBuffer());
assert.deepEqual([...bytes.slice(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'output is a PNG');
console.log(`ok: ${generation.id} succeeded, ${bytes.length} byte PNG`);

// 400: the seed's validation example.
let e = await expectError(generate(undefined, { prompt: 'x' }));
assert.equal(e.status, 400);
assert.equal(e.message, 'Validation failed');
assert.deepEqual(e.body.errors, [{ field: 'tool', message: 'Required', code: 'invalid_type' }]);
console.log('ok: 400 Validation failed');

// 401: a wrong key, and no key at all.
e = await expectError(generate('create-image', { prompt: 'x' }, 'not-a-key'));
assert.equal(e.status, 401);
// The switch's own text shows the branch taken; the server's message is
// checked beside it (here both read 'Invalid API key').
assert.equal(e.message, 'Invalid API key');
assert.equal(e.body.message, 'Invalid API key');
const noKey = await fetch(`${BASE}/api/run`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
assert.equal(noKey.status, 401);
assert.deepEqual(await noKey.json(), { message: 'Authorization header is required' });
console.log('ok: 401 Invalid API key / Authorization header is required');

// 402: a key with no credits.
e = await expectError(generate('create-image', { prompt: 'x' }, EMPTY_KEY));
assert.equal(e.status, 402);
assert.equal(e.message, 'Insufficient credits'); // the switch's text: the branch taken
// ...and the server's own body, message included:
assert.deepEqual(e.body, { message: 'You do not have enough credits to perform this action' });
console.log('ok: 402 Insufficient credits');

// 404: an unknown tool.
e = await expectError(generate('no-such-tool', { prompt: 'x' }));
assert.equal(e.status, 404);
assert.deepEqual(e.body, { message: 'Tool not found' });
console.log('ok: 404 Tool not found');

// 429: more GET requests in a minute than the free plan allows.
const limit = Number((await get('/api/account', FREE_KEY)).headers.get('x-ratelimit-limit'));
assert.ok(limit > 0, 'X-RateLimit-Limit is set');
let limited;
for (let i = 0; i < limit + 5 && !limited; i++) {
  const r = await get('/api/account', FREE_KEY);
  if (r.status === 429) limited = r;
}
assert.ok(limited, `no 429 after ${limit + 5} requests`);
assert.deepEqual(limited.body, { message: 'Too many API requests, please try again later' });
assert.ok(Number(limited.headers.get('retry-after')) > 0, 'Retry-After is set');
// The seed's 429 branch, through its own function: runs have their own bucket
// (60 a minute on pro), so exhaust that too. The pro key has credits for it.
e = await expectError(
  (async () => {
    for (let i = 0; i < 200; i++) await generate('create-image', { prompt: 'x' }, PRO_KEY);
  })()
);
assert.equal(e.status, 429);
assert.equal(e.message, 'Rate limit exceeded. Retry later.'); // the switch's text: the branch taken
// ...and the server's own body, message included:
assert.deepEqual(e.body, { message: 'Too many API requests, please try again later' });
console.log(`ok: 429 after ${limit} requests`);
console.log('node client: all assertions held');
