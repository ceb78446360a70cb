import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { addToOutbox } from '@backbone/messaging';
import {
  type AuthenticatedUser,
  assertCanActForUnit,
  AuditTrail,
  findOneInUnitScope,
} from '@backbone/platform';
import { DataSource, Repository } from 'typeorm';
import { HotlineConfig } from '../config';
import { Item } from '../item/item.entity';
import { recordItem } from '../item/record-item';
import type { RecordItemDto } from './record-item.dto';

@Injectable()
export class RecordItemHandler {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(Item) private readonly items: Repository<Item>,
    private readonly audit: AuditTrail,
    private readonly config: HotlineConfig,
  ) {}

  /**
   * The item, its audit record and its event commit in one transaction: the event exists exactly
   * when the change does, and the outbox relay publishes it afterwards. Every state change follows
   * this write path (as services/dossier's `changeDossier`): one transaction; for an existing row,
   * lock it (`SELECT … FOR UPDATE`) and let the rule without I/O decide; then the row, addToOutbox
   * and the audit record.
   */
  async record(input: RecordItemDto, user: AuthenticatedUser): Promise<Item> {
    assertCanActForUnit(user, input.unitCode);
    const { item, event } = recordItem({ ...input, recordedBy: user.subject }, new Date());
    await this.dataSource.transaction(async (manager) => {
      await manager.insert(Item, item);
      await this.audit.record(manager, {
        action: 'hotline.item.record',
        targetType: 'item',
        targetId: item.id,
        unitCode: item.unitCode,
      });
      await addToOutbox(manager, [event], { topic: this.config.HOTLINE_EVENTS_TOPIC });
    });
    return item;
  }

  /** Another unit's item answers 404, so its id reveals nothing. */
  find(id: string, user: AuthenticatedUser): Promise<Item> {
    return findOneInUnitScope(this.items, user, { id }, { notFound: `No item ${id}` });
  }
}
