// The one file in tests/ that knows where the app is made: when createApp moves, only this import changes.
import { type AppOptions, createApp } from '../../src/http/app.js';

export type { AppOptions };
export type TestApp = ReturnType<typeof createApp>;

/** The app without a socket (call its fetch), GraphiQL on unless asked otherwise. */
export function testApp(options: Pick<AppOptions, 'db'> & Partial<AppOptions>): TestApp {
  return createApp({ graphiql: true, ...options });
}
