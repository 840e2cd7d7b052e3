import { Duration } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import { Construct } from 'constructs';
import { CityFunction, SHARP_LINUX_ARM64 } from './city-function.ts';
import type { Stateful } from './stateful.ts';

export interface PhotoProcessingProps {
  stateful: Stateful;
  repoRoot: string;
  logRetention: logs.RetentionDays;
}

/** The upload processor, invoked by S3 for every object created under `uploads/`. */
export class PhotoProcessing extends Construct {
  readonly processor: CityFunction;

  constructor(scope: Construct, id: string, props: PhotoProcessingProps) {
    super(scope, id);
    this.processor = new CityFunction(this, 'Processor', {
      entry: 'functions/uploads/process-upload.ts',
      repoRoot: props.repoRoot,
      description: 'Validates uploaded photos, strips metadata, writes cleaned copies and thumbnails',
      logRetention: props.logRetention,
      memorySize: 1536,
      timeout: Duration.seconds(30),
      nativeModules: SHARP_LINUX_ARM64,
    })
      .bindTable(props.stateful.table, 'readWrite')
      .bindBucket(props.stateful.photos, 'process');
    props.stateful.photos.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(this.processor.fn), { prefix: 'uploads/' });
  }
}
