export interface BenchSection {
  title: string;
  /** the command line that reproduces the figures */
  command: string;
  header: string[];
  rows: (string | number)[][];
  notes?: string[];
}
