/** The part of a focused element Space may act on; an HTMLElement in the app, a plain object in the tests. */
export interface FocusedElement {
  readonly tagName: string;
  readonly type?: string;
  readonly disabled?: boolean;
  click(): void;
}

/**
 * Space alone on a focused checkbox or radio button toggles it, as on every other screen an operator has used;
 * anywhere else it stays the bench's photo key. The scanner provider stops the browser's own toggle (a Space inside
 * a scan must not flip a box), so this runs only once the wedge has released the Space as a key typed by a person.
 * True when the key was used here and must not also reach the screens.
 */
export function spaceTogglesFocused(keys: readonly string[], focused: FocusedElement | null): boolean {
  if (keys.length !== 1 || keys[0] !== ' ' || !focused) return false;
  if (focused.tagName !== 'INPUT' || (focused.type !== 'checkbox' && focused.type !== 'radio') || focused.disabled === true) return false;
  focused.click();
  return true;
}
