import { Duration, Validations, type RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { HOTLINE_SUBSCRIPTION_FILTER, MAX_DELIVERY_ATTEMPTS } from '#shared/domain/hotline/callbacks';
import { CityFunction } from './city-function.ts';

export interface HotlineCallbacksProps {
  /** The `case-events` topic. */
  topic: sns.ITopic;
  repoRoot: string;
  logRetention: logs.RetentionDays;
  /**
   * The hotline's https endpoint for status callbacks. Until it is set, deliveries fail and end in the
   * (alarmed) dead-letter queue, from where they can be redriven once it is configured.
   */
  callbackUrl?: string | undefined;
  /** Of the signing secret; retain it in production, the hotline operator holds a copy. */
  removalPolicy?: RemovalPolicy;
}

/** Records per invocation; the handler POSTs them one after another. */
const BATCH_SIZE = 5;
/** Each POST gives up after 10 s (shared/wiring/callbacks.ts). */
const POST_TIMEOUT_SECONDS = 10;

/**
 * Outbound status callbacks to the 12345 hotline (docs/hotline-integration.md): status changes of hotline
 * cases on `case-events` → SQS (filtered by the subscription) → the delivery function → signed POST.
 * A failed POST is retried with exponential backoff (the function stretches the message's visibility);
 * after {@link MAX_DELIVERY_ATTEMPTS} receives it moves to the alarmed dead-letter queue.
 */
export class HotlineCallbacks extends Construct {
  /** OUR signing key for callbacks (not the hotline's inbound webhook secret). */
  readonly signingSecret: secretsmanager.Secret;
  readonly queue: sqs.Queue;
  readonly deadLetters: sqs.Queue;
  readonly deliverer: CityFunction;
  readonly deadLetterAlarm: cloudwatch.Alarm;
  readonly backlogAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: HotlineCallbacksProps) {
    super(scope, id);
    // Callbacks carry case details and our signature: never over plain http.
    if (props.callbackUrl !== undefined && !(URL.canParse(props.callbackUrl) && new URL(props.callbackUrl).protocol === 'https:')) {
      throw new Error(`The hotline callback URL must be https, got "${props.callbackUrl}"`);
    }

    this.signingSecret = new secretsmanager.Secret(this, 'SigningSecret', {
      description: 'CityGrid signing secret for callbacks to the 12345 hotline (share as whsec_ + value)',
      // 48 base64 characters: a 36-byte HMAC key, as Standard Webhooks expects.
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      ...(props.removalPolicy ? { removalPolicy: props.removalPolicy } : {}),
    });
    Validations.of(this.signingSecret).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason: 'Rotated together with the hotline operator, who must verify with the new key first, per docs/hotline-integration.md.',
    });

    // A whole batch of slow POSTs must fit, or the batch times out and loses its backoff.
    const timeout = Duration.seconds(BATCH_SIZE * POST_TIMEOUT_SECONDS + 10);
    this.deliverer = new CityFunction(this, 'Deliverer', {
      entry: 'functions/hotline/deliver-callbacks.ts',
      repoRoot: props.repoRoot,
      description: 'Delivers signed status callbacks of hotline cases to the 12345 hotline',
      logRetention: props.logRetention,
      timeout,
      environment: {
        HOTLINE_CALLBACK_SECRET_ARN: this.signingSecret.secretArn,
        ...(props.callbackUrl ? { HOTLINE_CALLBACK_URL: props.callbackUrl } : {}),
      },
    });
    this.signingSecret.grantRead(this.deliverer.fn);

    // Longer than the source queue's 4 days: a moved message keeps its original enqueue time.
    this.deadLetters = new sqs.Queue(this, 'DeadLetters', {
      enforceSSL: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      retentionPeriod: Duration.days(14),
    });
    // SQS-managed encryption: SNS delivers to it without a customer key policy.
    this.queue = new sqs.Queue(this, 'Queue', {
      enforceSSL: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      // AWS's guidance for Lambda sources: six times the function timeout.
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: MAX_DELIVERY_ATTEMPTS },
    });
    props.topic.addSubscription(
      new subscriptions.SqsSubscription(this.queue, {
        // The body is the topic message itself (a CaseEventMessage), not SNS's envelope.
        rawMessageDelivery: true,
        filterPolicy: Object.fromEntries(
          Object.entries(HOTLINE_SUBSCRIPTION_FILTER).map(([attribute, allowlist]) => [attribute, sns.SubscriptionFilter.stringFilter({ allowlist: [...allowlist] })]),
        ),
      }),
    );
    // The function stretches its messages' visibility (backoff) by this URL: no URL built from the ARN.
    this.deliverer.fn.addEnvironment('HOTLINE_CALLBACK_QUEUE_URL', this.queue.queueUrl);
    // The consume grant includes sqs:ChangeMessageVisibility, which the backoff needs.
    this.deliverer.fn.addEventSource(new SqsEventSource(this.queue, { batchSize: BATCH_SIZE, reportBatchItemFailures: true }));

    this.deadLetterAlarm = new cloudwatch.Alarm(this, 'DeadLettersAlarm', {
      alarmDescription: 'Hotline status callbacks undelivered after every retry: the hotline has not been told',
      metric: this.deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    // Long before the DLQ (about 3 hours of retries), a callback waiting 15 minutes means the hotline
    // is not hearing from us.
    this.backlogAlarm = new cloudwatch.Alarm(this, 'BacklogAlarm', {
      alarmDescription: 'A hotline callback has waited more than 15 minutes (the hotline is down or refusing)',
      metric: this.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 15 * 60,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
