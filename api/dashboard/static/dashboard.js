// cyberskills dashboard: conveniences only. Every page works without this script; the
// charts are drawn on the server. Served from the binary, loaded as a module under a
// Content-Security-Policy that allows no inline script.

// Data tables sort by any column: each column heading becomes a button, and the heading
// says how the table is sorted (aria-sort), so screen readers announce it.
function cellKey(row, index) {
  const cell = row.children[index];
  if (!cell) return '';
  if (cell.dataset.suppressed === 'true') return Number.NEGATIVE_INFINITY;
  const value = cell.dataset.value;
  if (value !== undefined && value !== '' && !Number.isNaN(Number(value))) return Number(value);
  return cell.textContent.trim().toLowerCase();
}

function sortBy(table, index, heading) {
  const body = table.tBodies[0];
  const descending = heading.getAttribute('aria-sort') !== 'descending';
  const rows = Array.from(body.rows);
  rows.sort((a, b) => {
    const x = cellKey(a, index);
    const y = cellKey(b, index);
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'en-GB', { numeric: true });
    return descending ? -order : order;
  });
  for (const th of table.tHead.rows[0].cells) th.removeAttribute('aria-sort');
  heading.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
  body.append(...rows);
}

for (const table of document.querySelectorAll('table[data-sortable]')) {
  Array.from(table.tHead.rows[0].cells).forEach((heading, index) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'sort';
    button.textContent = heading.textContent;
    heading.textContent = '';
    heading.append(button);
    button.addEventListener('click', () => sortBy(table, index, heading));
  });
}

// After a filter is applied, focus lands on the page's heading rather than at the top of
// the document, so that screen-reader users hear what changed.
if (new URLSearchParams(location.search).size > 0) {
  const heading = document.querySelector('main h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
  }
}
