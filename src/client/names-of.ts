/**
 * The value half of a string enum: an object naming each of `names` as itself (`{ readOnly: "readOnly", … }`),
 * so each name is written once; the type half is `(typeof X)[keyof typeof X]`. Internal.
 */
export function namesOf<const Names extends readonly string[]>(
  ...names: Names
): { readonly [Name in Names[number]]: Name } {
  return Object.fromEntries(names.map((name) => [name, name])) as { readonly [Name in Names[number]]: Name };
}
