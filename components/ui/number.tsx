const formatter = new Intl.NumberFormat("en-US");

/** An integer with thousands separators. */
export function Num({ value }: { value: number }) {
  return <span className="tabular-nums">{formatter.format(value)}</span>;
}
