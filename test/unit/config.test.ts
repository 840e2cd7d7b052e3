import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '#shared/config/index';

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
