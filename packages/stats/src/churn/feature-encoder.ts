/**
 * Turns a table of string cells into a numeric matrix the models can fit: numbers stay numbers (blanks get
 * the training median and, when the training rows had blanks, a 0/1 "was blank" column), other columns
 * become one 0/1 column per level. Everything learnt (medians, levels) comes from the training rows only, and
 * the encoder is plain JSON, so a stored model encodes new rows exactly as it encoded its training rows.
 */
import { ChurnDataError, type ChurnTable, columnIndexOf, isBlank } from './churn-table';

export type ColumnKind = 'numeric' | 'categorical';

export interface ColumnKindOf {
  column: string;
  kind: ColumnKind;
}

export type ColumnEncoding =
  | { kind: 'numeric'; column: string; median: number; hasMissingIndicator: boolean }
  | { kind: 'categorical'; column: string; levels: string[]; hasOtherLevel: boolean };

/** One column of the encoded matrix and where it comes from. */
export interface EncodedFeature {
  /** Readable name: `tenure`, `TotalCharges is blank`, `Contract = Month-to-month`. */
  name: string;
  /** The original column it was made from. */
  column: string;
  role: 'value' | 'missing-indicator' | 'level';
  level?: string;
}

export interface FeatureEncoder {
  columns: ColumnEncoding[];
  features: EncodedFeature[];
}

/** Rows × features, row-major: the value of feature j in row i is values[i * featureCount + j]. */
export interface FeatureMatrix {
  rowCount: number;
  featureCount: number;
  values: Float64Array;
}

/** The level that stands for a blank cell of a categorical column. */
export const BLANK_LEVEL = '(blank)';

/** Most levels of one column that get a feature each; the rarer ones share OTHER_LEVEL. */
export const MAX_LEVELS = 50;
export const OTHER_LEVEL = '(other)';

/**
 * The number in a non-blank cell, or NaN when the cell is not a plain decimal number of finite size:
 * [+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?. `Number()` alone also takes '', '0x1f', '0b1', '0o7' and
 * 'Infinity'; with only digits, signs, points and e in the text, what it takes is exactly that pattern, and
 * checking the characters is much faster than matching it (this runs for every numeric cell).
 */
export function parseNumber(cell: string): number {
  const text = cell.trim();
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) return Number.NaN;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const isDigit = code >= 48 && code <= 57;
    // + - . e E
    if (!(isDigit || code === 43 || code === 45 || code === 46 || code === 101 || code === 69)) {
      return Number.NaN;
    }
  }
  return value;
}

/**
 * Decides for each column except the excluded ones (target, id) whether it is numeric: every non-blank cell
 * is a number. A column with no non-blank cell at all is categorical (its one level is "(blank)").
 */
export function inferColumnKinds(table: ChurnTable, excluded: readonly string[]): ColumnKindOf[] {
  return table.header.flatMap((column, index) => {
    if (excluded.includes(column)) return [];
    const numbers = parseColumn(table, index);
    const isNumeric = numbers?.some((value) => !Number.isNaN(value)) === true;
    return [{ column, kind: isNumeric ? ('numeric' as const) : ('categorical' as const) }];
  });
}

/** Learns medians and levels from the given rows (all rows when `rowIndices` is left out). */
export function fitFeatureEncoder(
  table: ChurnTable,
  kinds: readonly ColumnKindOf[],
  rowIndices?: ArrayLike<number>,
): FeatureEncoder {
  const rowCount = rowIndices ? rowIndices.length : table.rows.length;
  const columns = kinds.map(({ column, kind }): ColumnEncoding => {
    const index = columnIndexOf(table.header, column, 'feature');
    if (kind === 'categorical') {
      const { codes, levels } = levelCodesOfColumn(table, index);
      const counts = new Int32Array(levels.length);
      for (let row = 0; row < rowCount; row++) counts[codes[rowIndices ? rowIndices[row]! : row]!]!++;
      const seen = new Map<string, number>();
      counts.forEach((count, code) => {
        if (count > 0) seen.set(levels[code]!, count);
      });
      return { kind, column, ...levelsOf(seen) };
    }
    const parsed = numbersOfColumn(table, index, column);
    const numbers = new Float64Array(rowCount);
    let count = 0;
    for (let row = 0; row < rowCount; row++) {
      const value = parsed[rowIndices ? rowIndices[row]! : row]!;
      if (!Number.isNaN(value)) numbers[count++] = value;
    }
    return {
      kind,
      column,
      median: medianOf(numbers.subarray(0, count)),
      hasMissingIndicator: count < rowCount,
    };
  });
  return { columns, features: columns.flatMap(featuresOf) };
}

/**
 * The levels in code-unit order. Past MAX_LEVELS, only the most frequent MAX_LEVELS − 1 keep their own
 * feature and the rest (and, when scoring, unseen levels) share "(other)", so that a name-like column cannot
 * turn into thousands of features.
 */
function levelsOf(counts: ReadonlyMap<string, number>): { levels: string[]; hasOtherLevel: boolean } {
  if (counts.size <= MAX_LEVELS)
    return { levels: [...counts.keys()].sort(compareText), hasOtherLevel: false };
  const frequent = [...counts]
    .sort(([left, leftCount], [right, rightCount]) => rightCount - leftCount || compareText(left, right))
    .slice(0, MAX_LEVELS - 1)
    .map(([level]) => level);
  return { levels: [...frequent.sort(compareText), OTHER_LEVEL], hasOtherLevel: true };
}

function featuresOf(encoding: ColumnEncoding): EncodedFeature[] {
  const { column } = encoding;
  if (encoding.kind === 'categorical') {
    return encoding.levels.map((level) => ({ name: `${column} = ${level}`, column, role: 'level', level }));
  }
  const value: EncodedFeature = { name: column, column, role: 'value' };
  if (!encoding.hasMissingIndicator) return [value];
  return [value, { name: `${column} is blank`, column, role: 'missing-indicator' }];
}

/**
 * Encodes rows (all, or those at `rowIndices`) of a table whose header names the encoder's columns, in any
 * order. A level not seen in training gets no 1 in any of its column's level features (or the "(other)"
 * feature's 1, when the column has one).
 */
export function encodeFeatures(
  encoder: FeatureEncoder,
  table: ChurnTable,
  rowIndices?: ArrayLike<number>,
): FeatureMatrix {
  const rowCount = rowIndices ? rowIndices.length : table.rows.length;
  const featureCount = encoder.features.length;
  const values = new Float64Array(rowCount * featureCount);
  const cellsOf = (row: number) => table.rows[rowIndices ? rowIndices[row]! : row]!;
  for (let row = 0; row < rowCount; row++) {
    if (cellsOf(row)?.length !== table.header.length) {
      throw new ChurnDataError(`row ${row + 1} does not have one cell for each of the header's columns`);
    }
  }
  let offset = 0;
  for (const encoding of encoder.columns) {
    const index = columnIndexOf(table.header, encoding.column, 'feature');
    if (encoding.kind === 'numeric') {
      const parsed = numbersOfColumn(table, index, encoding.column);
      for (let row = 0; row < rowCount; row++) {
        const value = parsed[rowIndices ? rowIndices[row]! : row]!;
        const isMissing = Number.isNaN(value);
        values[row * featureCount + offset] = isMissing ? encoding.median : value;
        if (encoding.hasMissingIndicator) values[row * featureCount + offset + 1] = isMissing ? 1 : 0;
      }
      offset += encoding.hasMissingIndicator ? 2 : 1;
    } else {
      const levelIndex = new Map(encoding.levels.map((level, position) => [level, position]));
      const otherPosition = (encoding.hasOtherLevel ? levelIndex.get(OTHER_LEVEL) : undefined) ?? -1;
      const { codes, levels } = levelCodesOfColumn(table, index);
      const positionOfCode = Int32Array.from(levels, (level) => levelIndex.get(level) ?? otherPosition);
      for (let row = 0; row < rowCount; row++) {
        const position = positionOfCode[codes[rowIndices ? rowIndices[row]! : row]!]!;
        if (position >= 0) values[row * featureCount + offset + position] = 1;
      }
      offset += encoding.levels.length;
    }
  }
  return { rowCount, featureCount, values };
}

/** The cell as shown in a reason: the trimmed text, or "(blank)". */
export function levelOf(cell: string): string {
  const text = cell.trim();
  return text === '' ? BLANK_LEVEL : text;
}

/** Each table's columns parsed as numbers once, however many folds and samples encode them. */
const parsedColumns = new WeakMap<ChurnTable['rows'], Map<number, Float64Array | null>>();

/**
 * The numbers of a column in every row of the table, NaN for a blank cell, or null when a cell is neither.
 * Remembered for the table (whose rows are read-only), so each cell is parsed once.
 */
function parseColumn(table: ChurnTable, index: number): Float64Array | null {
  let columns = parsedColumns.get(table.rows);
  if (!columns) {
    columns = new Map();
    parsedColumns.set(table.rows, columns);
  }
  let numbers = columns.get(index);
  if (numbers === undefined) {
    numbers = new Float64Array(table.rows.length);
    for (let row = 0; row < table.rows.length && numbers; row++) {
      const cell = table.rows[row]![index] ?? '';
      const value = isBlank(cell) ? Number.NaN : parseNumber(cell);
      if (Number.isNaN(value) && !isBlank(cell)) numbers = null;
      else numbers[row] = value;
    }
    columns.set(index, numbers);
  }
  return numbers;
}

const levelColumns = new WeakMap<ChurnTable['rows'], Map<number, { codes: Int32Array; levels: string[] }>>();

/**
 * A column's distinct cells as levels (levelOf) and each row's level as a number into them, remembered for
 * the table like its parsed numbers.
 */
export function levelCodesOfColumn(
  table: ChurnTable,
  index: number,
): { codes: Int32Array; levels: string[] } {
  let columns = levelColumns.get(table.rows);
  if (!columns) {
    columns = new Map();
    levelColumns.set(table.rows, columns);
  }
  let coded = columns.get(index);
  if (!coded) {
    const codeOf = new Map<string, number>();
    const codes = Int32Array.from(table.rows, (row) => {
      const level = levelOf(row[index] ?? '');
      let code = codeOf.get(level);
      if (code === undefined) {
        code = codeOf.size;
        codeOf.set(level, code);
      }
      return code;
    });
    coded = { codes, levels: [...codeOf.keys()] };
    columns.set(index, coded);
  }
  return coded;
}

/** A numeric column's numbers (NaN for blanks), or a ChurnDataError that shows a cell that is not one. */
function numbersOfColumn(table: ChurnTable, index: number, column: string): Float64Array {
  const numbers = parseColumn(table, index);
  if (numbers) return numbers;
  const bad = table.rows.find((row) => {
    const cell = row[index] ?? '';
    return !isBlank(cell) && Number.isNaN(parseNumber(cell));
  })!;
  throw new ChurnDataError(`column ${column} holds numbers, but one cell is '${bad[index]}'`);
}

function medianOf(numbers: Float64Array): number {
  if (numbers.length === 0) return 0;
  const sorted = Float64Array.from(numbers).sort();
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Code-unit order, the same on every machine and locale (unlike localeCompare). */
function compareText(left: string, right: string): number {
  if (left === right) return 0;
  return left < right ? -1 : 1;
}
