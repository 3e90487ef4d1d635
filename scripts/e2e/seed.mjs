// seed.mjs varies the generated dataset through the real API, as an administrator
// would, so that the national figures are not all alike: the generated trusts all have
// every gap, and disclosure control rightly withholds an "all of them" that would give
// away small groups. Trusts (in code order, the hr trust left as it is) declare skills
// bought in from providers: some for good, some under contracts that ended three months
// ago, so that the trend has something to show once the snapshots are taken.
// Deterministic: the same dataset is seeded the same way.
const base = process.env.BASE_URL;
const admin = process.env.ADMIN_TOKEN;
const hrOrg = process.env.HR_ORG;
const now = new Date(process.env.E2E_NOW);

async function call(method, path, body) {
  const res = await fetch(base + path, {
    method, body: body && JSON.stringify(body),
    headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

async function all(path) {
  const items = [];
  let after = '';
  do {
    const page = await call('GET', `${path}${path.includes('?') ? '&' : '?'}limit=200${after ? `&after=${after}` : ''}`);
    items.push(...page.items);
    after = page.next_cursor ?? '';
  } while (after);
  return items;
}

const day = (months) => {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
};

const skills = await all('/api/v1/frameworks/cyber/skills');
const tier = (t) => skills.filter((s) => s.tier === t).map((s) => s.code);
const trusts = (await all('/api/v1/organisations?type=trust')).map((o) => o.code).filter((c) => c !== hrOrg).sort();
let declared = 0;
for (const [i, code] of trusts.entries()) {
  const coverage = [];
  const buy = (codes, provider, end) => coverage.push(...codes.map((skill) => ({ skill, provider, contract_end: end })));
  if (i % 2 === 0) buy(tier('incident_response'), 'Regional SOC', day(12));
  else if (i % 4 === 1) buy(tier('incident_response'), 'Regional SOC', day(-3));
  if (i % 3 === 0) buy(tier('advanced'), 'Specialist security partner', day(12));
  if (i % 5 === 0) buy(tier('basic'), 'Managed IT service', day(12));
  if (coverage.length) {
    await call('PUT', `/api/v1/organisations/${code}/coverage`, { coverage });
    declared++;
  }
}
console.log(`seeded external coverage for ${declared} of ${trusts.length + 1} trusts through the API`);
