// Filled in by the explore work.
export {};
