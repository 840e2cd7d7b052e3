import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, readConfig } from '#shared/config/index';

describe('configuration', () => {
  it('parses a complete environment with defaults', () => {
    const config = parseConfig({ TABLE_NAME: 'citygrid-dev-table' });
    expect(config).toMatchObject({ TABLE_NAME: 'citygrid-dev-table', STAGE: 'local', MESSAGE_TRANSPORT: 'aws' });
  });

  it('reads department score weights as JSON and refuses malformed ones', () => {
    expect(parseConfig({ TABLE_NAME: 't-1', SCORE_WEIGHTS: '{"onTime":0.4,"closure":0.4,"noRework":0.1,"satisfaction":0.1}' }).SCORE_WEIGHTS).toEqual({ onTime: 0.4, closure: 0.4, noRework: 0.1, satisfaction: 0.1 });
    expect(() => parseConfig({ TABLE_NAME: 't-1', SCORE_WEIGHTS: '{"onTime":-1}' })).toThrow(/SCORE_WEIGHTS/);
  });

  it('fails fast naming every bad variable at once', () => {
    const attempt = () => parseConfig({ MESSAGE_TRANSPORT: 'pigeon', DYNAMODB_ENDPOINT: 'not a url' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/TABLE_NAME/);
    expect(attempt).toThrow(/MESSAGE_TRANSPORT/);
    expect(attempt).toThrow(/DYNAMODB_ENDPOINT/);
  });
});

describe('configuration read by a running function', () => {
  const env = {
    TABLE_NAME: 'citygrid-dev-table',
    SMS_TEMPLATES: JSON.stringify({ 'case-filed': { text: '${caseNumber}已立案（${date}）' } }),
    SCORE_WEIGHTS: '{"onTime":0.4,"closure":0.4,"noRework":0.1,"satisfaction":0.1}',
    OPEN311_PUBLIC_READS: 'off',
    REPORT_QUOTA_DAILY: '50',
    CORS_ORIGINS: 'ignored: not a variable of this schema',
  };

  it('gives every variable the value the whole-environment parse gives', () => {
    const whole = parseConfig(env);
    const lazy = readConfig(env);
    expect({ ...lazy }).toEqual(whole);
    expect(Object.keys(lazy)).toEqual(expect.arrayContaining(Object.keys(whole)));
    expect(lazy.REPORT_QUOTA_DAILY).toBe(50);
    expect(lazy.OPEN311_PUBLIC_READS).toBe(false);
    expect(lazy.STAGE).toBe('local');
    expect('CORS_ORIGINS' in lazy).toBe(false);
  });

  it('refuses a bad variable when it is read, naming it, and lets the others be read', () => {
    const lazy = readConfig({ TABLE_NAME: 'citygrid', MESSAGE_TRANSPORT: 'pigeon', SCORE_WEIGHTS: '{"onTime":-1}' });
    expect(lazy.TABLE_NAME).toBe('citygrid');
    expect(() => lazy.MESSAGE_TRANSPORT).toThrow(ConfigError);
    expect(() => lazy.MESSAGE_TRANSPORT).toThrow(/MESSAGE_TRANSPORT/);
    expect(() => lazy.SCORE_WEIGHTS).toThrow(/SCORE_WEIGHTS/);
    expect(() => readConfig({}).TABLE_NAME).toThrow(/TABLE_NAME/);
  });
});
