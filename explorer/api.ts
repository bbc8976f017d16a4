/** The explorer's one way to the service: POST /graphql on its own origin, as any client calls it. */

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    message: string,
    /** The error's `extensions.code` (NOT_FOUND, AMBIGUOUS, ...), when the API gave one. */
    readonly code?: string,
  ) {
    super(message);
  }
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export async function gql<T>(
  query: string,
  variables: Record<string, unknown> = {},
  signal?: AbortSignal,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
      },
      body: JSON.stringify({ query, variables }),
      ...(signal ? { signal } : {}),
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError('The service cannot be reached.');
  }
  let body: GraphQLResponse<T>;
  try {
    body = (await response.json()) as GraphQLResponse<T>;
  } catch {
    throw new ApiError(`The service answered HTTP ${response.status} without a GraphQL answer.`);
  }
  const error = body.errors?.[0];
  if (error) throw new ApiError(error.message, error.extensions?.code);
  if (!body.data) throw new ApiError(`The service answered HTTP ${response.status} without data.`);
  return body.data;
}

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}
