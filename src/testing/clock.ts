/** The tests' today: Monday 23 November 2026, 10:00 in London (the demo is seeded on it). */
export const TEST_NOW = '2026-11-23T10:00:00Z'
