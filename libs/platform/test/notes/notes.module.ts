import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type KafkaPing, type PlatformConfig, PlatformModule } from '../../src';
import { CreateTestNotes1767225700000 } from './create-notes-table.migration';
import { Note } from './note.entity';
import { NotesController } from './notes.controller';

/** How a service's root module looks: the platform, its entities and migrations, its controllers. */
@Module({})
export class NotesAppModule {
  static forRoot(config: PlatformConfig, kafkaPing?: KafkaPing): DynamicModule {
    return {
      module: NotesAppModule,
      imports: [
        PlatformModule.forRoot({
          serviceName: 'notes-test',
          config,
          entities: [Note],
          migrations: [CreateTestNotes1767225700000],
          ...(kafkaPing ? { kafkaPing } : {}),
        }),
        TypeOrmModule.forFeature([Note]),
      ],
      controllers: [NotesController],
    };
  }
}
