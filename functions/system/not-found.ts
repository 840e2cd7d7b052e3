import { notFound as route } from '#shared/contract/system';
import { NotFoundError } from '#shared/domain/errors';
import { publicHttpHandler, type HttpRequest } from '#shared/http/public-handler';

/** API Gateway's `$default` route: unknown paths get the contract's 404 instead of `{"message":"Not Found"}`. */
export async function notFound(request: HttpRequest): Promise<never> {
  const { method, path } = request.event.requestContext.http;
  throw new NotFoundError(`No route for ${method} ${path}`);
}

export const handler = publicHttpHandler(route, notFound);
