/**
 * The documented fields of a type, recursively, without the index
 * signatures that stand for "extra fields are allowed" (zod says unknown,
 * the generator says any): what remains must be identical.
 */
export type Shape<T> = T extends readonly (infer U)[]
  ? Shape<U>[]
  : T extends object
    ? { [K in keyof T as string extends K ? never : K]: Shape<T[K]> }
    : T;
