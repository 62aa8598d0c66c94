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

/** A plain decimal number; `Number()` alone would also take '0x1f', 'Infinity' and ''. */
const NUMBER_PATTERN = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** The number in a non-blank cell, or NaN when the cell is not a plain decimal number of finite size. */
export function parseNumber(cell: string): number {
  const text = cell.trim();
  const value = NUMBER_PATTERN.test(text) ? Number(text) : Number.NaN;
  return Number.isFinite(value) ? value : Number.NaN;
}

/**
 * Decides for each column except the excluded ones (target, id) whether it is numeric: every non-blank cell
 * is a number. A column with no non-blank cell at all is categorical (its one level is "(blank)").
 */
export function inferColumnKinds(table: ChurnTable, excluded: readonly string[]): ColumnKindOf[] {
  return table.header.flatMap((column, index) => {
    if (excluded.includes(column)) return [];
    let hasNumber = false;
    for (const row of table.rows) {
      const cell = row[index]!;
      if (isBlank(cell)) continue;
      if (Number.isNaN(parseNumber(cell))) return [{ column, kind: 'categorical' as const }];
      hasNumber = true;
    }
    return [{ column, kind: hasNumber ? ('numeric' as const) : ('categorical' as const) }];
  });
}

/** Learns medians and levels from the given rows (all rows when `rowIndices` is left out). */
export function fitFeatureEncoder(
  table: ChurnTable,
  kinds: readonly ColumnKindOf[],
  rowIndices?: ArrayLike<number>,
): FeatureEncoder {
  const rows = rowIndices ? Array.from(rowIndices, (row) => table.rows[row]!) : table.rows;
  const columns = kinds.map(({ column, kind }): ColumnEncoding => {
    const index = columnIndexOf(table.header, column, 'feature');
    if (kind === 'categorical') {
      return { kind, column, ...levelsOf(rows.map((row) => levelOf(row[index]!))) };
    }
    const numbers: number[] = [];
    for (const row of rows) {
      const cell = row[index]!;
      if (!isBlank(cell)) numbers.push(numberIn(cell, column));
    }
    return { kind, column, median: medianOf(numbers), hasMissingIndicator: numbers.length < rows.length };
  });
  return { columns, features: columns.flatMap(featuresOf) };
}

/**
 * The levels in code-unit order. Past MAX_LEVELS, only the most frequent MAX_LEVELS − 1 keep their own
 * feature and the rest (and, when scoring, unseen levels) share "(other)", so that a name-like column cannot
 * turn into thousands of features.
 */
function levelsOf(cells: readonly string[]): { levels: string[]; hasOtherLevel: boolean } {
  const counts = new Map<string, number>();
  for (const level of cells) counts.set(level, (counts.get(level) ?? 0) + 1);
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
  let offset = 0;
  for (const encoding of encoder.columns) {
    const index = columnIndexOf(table.header, encoding.column, 'feature');
    const cellOf = (row: number) => {
      const cells = table.rows[rowIndices ? rowIndices[row]! : row];
      if (cells?.length !== table.header.length) {
        throw new ChurnDataError(`row ${row + 1} does not have one cell for each of the header's columns`);
      }
      return cells[index]!;
    };
    if (encoding.kind === 'numeric') {
      for (let row = 0; row < rowCount; row++) {
        const cell = cellOf(row);
        const isMissing = isBlank(cell);
        values[row * featureCount + offset] = isMissing ? encoding.median : numberIn(cell, encoding.column);
        if (encoding.hasMissingIndicator) values[row * featureCount + offset + 1] = isMissing ? 1 : 0;
      }
      offset += encoding.hasMissingIndicator ? 2 : 1;
    } else {
      const levelIndex = new Map(encoding.levels.map((level, position) => [level, position]));
      const otherPosition = encoding.hasOtherLevel ? levelIndex.get(OTHER_LEVEL) : undefined;
      for (let row = 0; row < rowCount; row++) {
        const position = levelIndex.get(levelOf(cellOf(row))) ?? otherPosition;
        if (position !== undefined) values[row * featureCount + offset + position] = 1;
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

function numberIn(cell: string, column: string): number {
  const value = parseNumber(cell);
  if (Number.isNaN(value))
    throw new ChurnDataError(`column ${column} holds numbers, but one cell is '${cell}'`);
  return value;
}

function medianOf(numbers: number[]): number {
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
