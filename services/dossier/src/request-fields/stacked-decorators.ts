/**
 * Several property decorators as one, applied as if they were written one above the other:
 * bottom first, like TypeScript does. class-validator records constraints in the order they are
 * applied, and reports them in that order, so a shared field rule keeps the messages' order.
 */
export function stackedDecorators(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, propertyKey) => {
    for (let index = decorators.length - 1; index >= 0; index -= 1) decorators[index]!(target, propertyKey);
  };
}
