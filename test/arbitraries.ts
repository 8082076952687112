import fc from 'fast-check';

/**
 * fast-check arbitraries from a procedure's input JSON Schema (what `z.toJSONSchema` makes of its
 * zod schema), mixed with hostile values at every level: wrong types, text PostgreSQL cannot store,
 * numbers past int4 and float limits, injection-looking and oversized text, unknown keys.
 *
 * Written by hand: the libraries that derive arbitraries from zod target zod 3 (this code base is
 * on zod 4), and the JSON Schema ones are unmaintained. It covers the keywords our schemas use.
 */
export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
};

export const HOSTILE_TEXT = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  'name@example.com\u0000',
  '\uD800',
  'x\uDFFF',
  '\'; DROP TABLE "User"; --',
  '" OR 1=1 --',
  '../../../../etc/passwd',
  '<script>alert(1)</script>',
  '${7*7}{{7*7}}',
  '__proto__',
  '💥'.repeat(300),
  'x'.repeat(20_000),
];
export const HOSTILE_NUMBERS = [-1, 0, 0.5, -0.5, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, 1e308, -1e308, 1e-300];

const hostileValue = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, [], {}, ...HOSTILE_TEXT, ...HOSTILE_NUMBERS),
  fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'toString', 'then'), fc.constantFrom<unknown>(null, 1, 'x', {})),
);

export interface ArbitraryOptions {
  /** Real ids to mix into uuid fields, so calls reach past "not found". */
  ids: string[];
  /** How often (0..1) a value is replaced by a hostile one. */
  hostility?: number;
}

export function fromSchema(schema: JsonSchema | undefined, options: ArbitraryOptions): fc.Arbitrary<unknown> {
  const hostility = options.hostility ?? 0.3;
  const valid = validFor(schema ?? {}, options);
  // Mostly well-formed; hostile values of the field's own type (they pass the type check and reach
  // deeper code); now and then anything at all.
  const typed = typedHostile(schema);
  const weight = Math.max(1, Math.round(hostility * 20));
  return fc.oneof(
    { arbitrary: valid, weight: 20 - weight },
    { arbitrary: typed ?? hostileValue, weight: Math.max(1, weight - 1) },
    { arbitrary: hostileValue, weight: 1 },
  );
}

/** Hostile values that still have the schema's type, or null when it has no single type. */
export function typedHostile(schema: JsonSchema | undefined): fc.Arbitrary<unknown> | null {
  const type = Array.isArray(schema?.type) ? schema.type[0] : schema?.type;
  if (type === 'string') return fc.constantFrom<unknown>(...HOSTILE_TEXT);
  if (type === 'integer' || type === 'number') return fc.constantFrom<unknown>(...HOSTILE_NUMBERS);
  if (type === 'array')
    return fc.constantFrom<unknown>(
      [],
      Array.from({ length: 500 }, () => null),
      [[]],
    );
  if (type === 'object') return fc.constantFrom<unknown>({}, { unknownKey: 1 }, JSON.parse('{"__proto__": {"admin": true}}'));
  return null;
}

export function validFor(schema: JsonSchema, options: ArbitraryOptions): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union && union.length > 0) return fc.oneof(...union.map((s) => fromSchema(s, options)));
  if (schema.allOf && schema.allOf.length > 0) return validFor(Object.assign({}, ...schema.allOf) as JsonSchema, options);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return stringFor(schema, options);
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1000);
      const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : 100_000);
      const inRange = fc.integer({ min: Math.max(Math.ceil(min), -(2 ** 31)), max: Math.min(Math.floor(max), 2 ** 31 - 1) });
      return type === 'integer'
        ? fc.oneof(inRange, fc.constantFrom(min - 1, max + 1))
        : fc.oneof(inRange, fc.double({ noNaN: true, noDefaultInfinity: true }));
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = Math.min(schema.minItems ?? 0, 12);
      const maxLength = Math.min(Math.max(schema.maxItems ?? 5, minLength), 12);
      return fc.array(fromSchema(schema.items, options), { minLength, maxLength: maxLength + 1 });
    }
    case 'object':
    default: {
      const properties = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, value] of Object.entries(properties)) record[key] = fromSchema(value, options);
      const requiredKeys = Object.keys(properties).filter((key) => required.has(key));
      return fc.record(record, { requiredKeys });
    }
  }
}

function stringFor(schema: JsonSchema, options: ArbitraryOptions): fc.Arbitrary<unknown> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.min(schema.maxLength ?? 60, 400);
  switch (schema.format) {
    case 'uuid':
      return options.ids.length > 0 ? fc.oneof(fc.constantFrom(...options.ids), fc.uuid()) : fc.uuid();
    case 'email':
      return fc.emailAddress().filter((e) => e.length <= maxLength);
    case 'date-time':
      return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
    default:
      return fc.string({ minLength, maxLength, unit: 'binary' });
  }
}
