// YAML keys become object keys (labels, headers, query parameters). `object[key] = value` with
// the key `__proto__` sets the object's prototype instead of a key, and the entry is lost;
// defining the property makes it an own key like any other, on an ordinary object.

/** `object[key] = value`, also for `key === '__proto__'` (an own, enumerable property). */
export function setOwn<T>(object: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}
