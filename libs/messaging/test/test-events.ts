import { EventType } from '@backbone/contracts';
import { uniqueName } from '@backbone/testing';
import { IsIn, IsInt, IsString, Min } from 'class-validator';

// Test-only events, so these tests do not depend on the catalogue. Every test file (and every
// child process, through the environment) gets its own topic.
export const TEST_TOPIC = process.env.MESSAGING_TEST_TOPIC ?? uniqueName('test_orders');

@EventType({
  type: 'test-order.placed.v1',
  topic: TEST_TOPIC,
  producer: 'messaging-test',
  aggregate: 'test-order',
  description: 'A test order was placed.',
})
export class TestOrderPlaced {
  @IsString()
  orderId!: string;

  @IsInt()
  @Min(0)
  amountVnd!: number;

  /** Lets a test make the handler fail on purpose for chosen events. */
  @IsIn(['ok', 'explode'])
  behaviour!: 'ok' | 'explode';
}
