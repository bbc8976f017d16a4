// Filled in by the stats work.
export {};
