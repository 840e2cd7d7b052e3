import * as z from '#shared/validation/zod';
import { roundCoordinate } from '#shared/domain/geo/coordinates';

/** Degrees, rounded to 7 decimals on input (~1 cm; also keeps numbers DynamoDB cannot store, such as 1e-320, out). */
const Degrees = (limit: number) => z.pipe(z.number().check(z.gte(-limit), z.lte(limit)), z.transform(roundCoordinate));

/** The contract's location shape (its own file: the uploads function takes it without the cases' schemas). */
export const Location = z.lazy(() => z.withMeta(z.strict(z.object({ lat: Degrees(90), lng: Degrees(180), coordSystem: z.optional(z.enum(['WGS84', 'GCJ02'])) })), { id: 'Location', description: 'WGS84 unless coordSystem is GCJ02 (WeChat, Chinese map SDKs), converted on input; rounded to 7 decimals' }));
