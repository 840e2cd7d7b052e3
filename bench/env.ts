/** The bench's environment, set before any handler module loads (imported first by bench/run.ts). */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
// Every bench request comes from 127.0.0.1: lift the per-IP SMS cap (the per-phone limits stay).
process.env.SMS_IP_HOURLY_LIMIT = '100000';
