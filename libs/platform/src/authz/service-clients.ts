import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  Optional,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { IS_PUBLIC } from '../auth/decorators';

/**
 * Service clients (machine callers with the `service` role: the national portal, the payment
 * gateway, ...). Each is named in its token (`client`, else `azp` or `client_id`, else `sub`) and
 * may perform only the actions on its allow-list, and, when its entry lists units, only for those.
 */
export interface ServiceClient {
  name: string;
  /** Action names (`dossier.receive-online`), or `*` for every action. */
  actions: ReadonlySet<string>;
  /** Unit codes it may act for; undefined = every unit. */
  units?: ReadonlySet<string>;
}

export type ServiceClientRegistry = ReadonlyMap<string, ServiceClient>;

export const SERVICE_CLIENT_REGISTRY = Symbol('SERVICE_CLIENT_REGISTRY');
export const SERVICE_ACTION = 'platform:serviceAction';

/** The request a route's action is computed from (e.g. the `:action` path parameter). */
export interface ServiceActionRequest {
  params?: Record<string, string>;
  body?: unknown;
  query?: Record<string, unknown>;
}

/**
 * Names the action a route performs, for the service-client allow-lists:
 * `@ServiceAction('dossier.receive-online')` or
 * `@ServiceAction((request) => `dossier.${request.params?.action}`)`.
 */
export const ServiceAction = (
  action: string | ((request: ServiceActionRequest) => string),
): MethodDecorator & ClassDecorator => SetMetadata(SERVICE_ACTION, action);

/**
 * SERVICE_CLIENTS: `client:action+action[@unit+unit];client:...`, e.g.
 * `national-portal:dossier.receive-online+dossier.provide-supplement;payment-gateway:dossier.record-payment@00070+00103`.
 */
export function parseServiceClients(value: string): ServiceClientRegistry {
  const registry = new Map<string, ServiceClient>();
  for (const entry of value
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const match = /^([A-Za-z0-9._-]{1,100}):([A-Za-z0-9.*_+-]+)(?:@([A-Z0-9+-]+))?$/.exec(entry);
    if (!match) throw new Error(`SERVICE_CLIENTS entry "${entry}" is not client:action+action[@unit+unit]`);
    const [, name, actions, units] = match;
    registry.set(name!, {
      name: name!,
      actions: new Set(actions!.split('+').filter(Boolean)),
      ...(units ? { units: new Set(units.split('+').filter(Boolean)) } : {}),
    });
  }
  return registry;
}

/** The client's name from the token claims it may be carried in. */
export function serviceClientNameOf(user: AuthenticatedUser): string {
  return user.client ?? user.subject;
}

/** 403 unless `user`, if a service client, may perform `action` for `unitCode`. */
export function assertServiceClientMay(
  registry: ServiceClientRegistry | undefined,
  user: AuthenticatedUser,
  action: string | undefined,
  unitCode?: string,
): void {
  if (!registry || !user.roles.includes('service')) return;
  const name = serviceClientNameOf(user);
  const client = registry.get(name);
  if (!client) throw new ForbiddenException(`Service client ${name} is not registered`);
  if (!action) throw new ForbiddenException(`This route is not open to service clients`);
  if (!client.actions.has('*') && !client.actions.has(action))
    throw new ForbiddenException(`Service client ${name} may not ${action}`);
  if (unitCode !== undefined && client.units && !client.units.has(unitCode))
    throw new ForbiddenException(`Service client ${name} may not act for unit ${unitCode}`);
}

/**
 * The units a caller is limited to as a service client: its SERVICE_CLIENTS entry's `@units`.
 * Undefined when it is not a service client, no registry is configured, or its entry lists no units
 * (it acts for every unit). A client missing from the registry is limited to no unit (the guard has
 * refused it already; this keeps a handler that forgot the guard closed).
 */
export function serviceClientUnits(
  registry: ServiceClientRegistry | undefined,
  user: AuthenticatedUser,
): ReadonlySet<string> | undefined {
  if (!registry || !user.roles.includes('service')) return undefined;
  const client = registry.get(serviceClientNameOf(user));
  return client ? client.units : new Set();
}

/**
 * For a record found by id whose unit the request did not name (a dossier's lifecycle action): may
 * this caller, if a service client, act for the record's unit? The caller answers 404 when not, as
 * `findOneInUnitScope` does for staff, so that ids of other units' records reveal nothing.
 */
export function serviceClientServesUnit(
  registry: ServiceClientRegistry | undefined,
  user: AuthenticatedUser,
  unitCode: string,
): boolean {
  const units = serviceClientUnits(registry, user);
  return units === undefined || units.has(unitCode);
}

/**
 * Global guard after RolesGuard: with a registry configured (SERVICE_CLIENTS), a `service` caller
 * may only call routes that name their action with @ServiceAction, for actions on its allow-list,
 * and for its units when the request names one (`unitCode` in the body or query). Handlers that
 * learn the unit later (a dossier loaded by id) check it with `serviceClientServesUnit` (404, as
 * for staff on another unit's record) or `assertServiceClientMay` (403); they inject the registry
 * with `@Optional() @Inject(SERVICE_CLIENT_REGISTRY)` (absent = no allow-lists configured).
 */
@Injectable()
export class ServiceClientGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Optional() @Inject(SERVICE_CLIENT_REGISTRY) private readonly registry?: ServiceClientRegistry,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (!this.registry || context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<ServiceActionRequest & { user?: AuthenticatedUser }>();
    if (!request.user?.roles.includes('service')) return true;
    const declared = this.reflector.getAllAndOverride<string | ((request: ServiceActionRequest) => string)>(
      SERVICE_ACTION,
      targets,
    );
    const action = typeof declared === 'function' ? declared(request) : declared;
    const body = request.body as { unitCode?: unknown } | undefined;
    const unit = typeof body?.unitCode === 'string' ? body.unitCode : request.query?.unitCode;
    assertServiceClientMay(this.registry, request.user, action, typeof unit === 'string' ? unit : undefined);
    return true;
  }
}
