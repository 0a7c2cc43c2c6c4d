// Looks up the page's elements by id (index.html); a missing one is a bug in the page.

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`index.html has no #${id}`);
  return el as T;
}

/** Shows an error on a status line. */
export function showError(el: HTMLElement, e: unknown): void {
  const x = e as Error;
  el.textContent = `${x?.name ?? 'Error'}: ${x?.message ?? String(e)}`;
  el.className = 'note error';
}
