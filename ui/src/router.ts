/**
 * Paths of the screen, served by the gateway as the same page
 * (gateway/http/routes/wardBoardUi.ts uiPagePaths) and drawn here.
 */
export type Route =
  | { name: 'board' }
  | { name: 'alerts' }
  | { name: 'patients' }
  | { name: 'patient'; patientId: string }
  | { name: 'flowsheet'; patientId: string }
  | { name: 'sync' }
  | { name: 'lab-orders' }
  | { name: 'handover' };

export function routeOf(pathname: string): Route {
  const flowsheet = /^\/patients\/([^/]+)\/flowsheet\/?$/.exec(pathname);
  if (flowsheet?.[1]) return { name: 'flowsheet', patientId: decodeURIComponent(flowsheet[1]) };
  const patient = /^\/patients\/([^/]+)\/?$/.exec(pathname);
  if (patient?.[1]) return { name: 'patient', patientId: decodeURIComponent(patient[1]) };
  if (pathname.startsWith('/alerts')) return { name: 'alerts' };
  if (pathname.startsWith('/patients')) return { name: 'patients' };
  if (pathname.startsWith('/sync')) return { name: 'sync' };
  if (pathname.startsWith('/lab-orders')) return { name: 'lab-orders' };
  if (pathname.startsWith('/handover')) return { name: 'handover' };
  return { name: 'board' };
}

export function pathOf(route: Route): string {
  switch (route.name) {
    case 'board':
      return '/board';
    case 'alerts':
      return '/alerts';
    case 'patients':
      return '/patients';
    case 'patient':
      return `/patients/${encodeURIComponent(route.patientId)}`;
    case 'flowsheet':
      return `/patients/${encodeURIComponent(route.patientId)}/flowsheet`;
    case 'sync':
      return '/sync';
    case 'lab-orders':
      return '/lab-orders';
    case 'handover':
      return '/handover';
    default: {
      const never: never = route;
      return never;
    }
  }
}

const listeners: ((route: Route) => void)[] = [];

export function onNavigate(listener: (route: Route) => void): void {
  listeners.push(listener);
}

export function navigate(route: Route): void {
  const path = pathOf(route);
  if (location.pathname !== path) history.pushState(null, '', path);
  for (const listener of listeners) listener(route);
}

/** Links drawn with link() navigate without reloading; a middle click still opens a new tab. */
export function interceptLinks(root: HTMLElement): void {
  root.addEventListener('click', (event) => {
    const anchor = (event.target as Element | null)?.closest?.('a[data-route]');
    if (!(anchor instanceof HTMLAnchorElement) || event.button !== 0 || event.ctrlKey || event.metaKey)
      return;
    event.preventDefault();
    navigate(routeOf(anchor.pathname));
  });
  window.addEventListener('popstate', () => {
    for (const listener of listeners) listener(routeOf(location.pathname));
  });
}
