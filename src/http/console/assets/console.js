// The console's only script: dates in the viewer's time zone, and live progress of a running job.
// Everything works without it (dates then show in UTC, a running job's page is reloaded by hand).

const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function localizeDates(root) {
  for (const node of root.querySelectorAll('time[datetime]')) {
    const date = new Date(node.getAttribute('datetime'));
    if (!Number.isNaN(date.getTime())) {
      node.textContent = format.format(date);
      node.title = date.toISOString();
    }
  }
}

async function followRun(panel) {
  const url = panel.dataset.progress;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    let state;
    try {
      const response = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if (!response.ok) continue;
      state = await response.json();
    } catch {
      continue;
    }
    const counts = Object.entries(state.counts).filter(([key]) => key !== 'seen').map(([key, value]) => `${key} ${value}`).join(', ');
    panel.querySelector('[data-field="counts"]').textContent = counts || 'nothing yet';
    panel.querySelector('[data-field="lines"]').textContent = String(state.lines);
    if (state.status !== 'running') {
      window.location.reload();
      return;
    }
  }
}

localizeDates(document);
const live = document.querySelector('[data-progress]');
if (live) void followRun(live);
