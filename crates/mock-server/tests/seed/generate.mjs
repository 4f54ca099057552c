// The error-handling snippet of the provider's error page (shared/seed/errors-page.txt),
// unchanged except that the base URL and the key are parameters instead of
// 'https://api.artificialstudio.ai' and 'YOUR_API_KEY'. Run by tests/api/seed.rs
// against astudio-mock: every branch of its switch must be taken.
const generate = async (base, key, tool, input) => {
  const response = await fetch(`${base}/api/run`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'Authorization': key
    },
    body: JSON.stringify({ tool, input })
  });

  if (!response.ok) {
    const error = await response.json();

    switch (response.status) {
      case 401:
        throw new Error('Invalid API key');
      case 402:
        throw new Error('Insufficient credits');
      case 429:
        throw new Error('Rate limit exceeded. Retry later.');
      default:
        throw new Error(error.message || 'Request failed');
    }
  }

  return response.json();
};

const [base, okKey, emptyKey] = process.argv.slice(2);
const image = ['create-image', { prompt: 'a lighthouse at dusk' }];
const cases = [
  ['success', okKey, ...image],
  ['401', 'not-a-key', ...image],
  ['402', emptyKey, ...image],
  ['429', okKey, ...image], // the server allows okKey one run a minute
  ['default', emptyKey, 'no-such-tool', {}],
];
const results = {};
for (const [name, key, tool, input] of cases) {
  try {
    const body = await generate(base, key, tool, input);
    results[name] = `ok ${body.status}`;
  } catch (e) {
    results[name] = e.message;
  }
}
console.log(JSON.stringify(results));
