/** A small element builder: text always goes in as text, never as HTML. */
export type Child = Node | string | null | undefined | false;

export interface Props {
  class?: string;
  text?: string;
  attrs?: Record<string, string | undefined>;
  data?: Record<string, string | undefined>;
  on?: Partial<{ [K in keyof HTMLElementEventMap]: (event: HTMLElementEventMap[K]) => void }>;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.class) element.className = props.class;
  if (props.text !== undefined) element.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {}))
    if (value !== undefined) element.setAttribute(name, value);
  for (const [name, value] of Object.entries(props.data ?? {}))
    if (value !== undefined) element.dataset[name] = value;
  for (const [type, listener] of Object.entries(props.on ?? {}))
    element.addEventListener(type, listener as EventListener);
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

export function clear(element: Element): void {
  element.replaceChildren();
}

/** Sets text only when it changed, so screen readers and selections are not disturbed by no-op updates. */
export function setText(element: Element, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

export function toggleClass(element: Element, name: string, on: boolean): void {
  element.classList.toggle(name, on);
}
