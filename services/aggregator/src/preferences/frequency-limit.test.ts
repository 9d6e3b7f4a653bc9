import { frequencyLimitExceeded } from './frequency-limit';
import { fixedCount, RECIPIENT_KEY, testPreferences } from './test-fixtures';

describe('frequencyLimitExceeded', () => {
  const limited = testPreferences({ frequency_limits: { ORDER_FILLED: 3 } });

  it('allows sends below the limit', () => {
    expect(frequencyLimitExceeded(limited, fixedCount(2), RECIPIENT_KEY, 'ORDER_FILLED', 0)).toBeNull();
  });

  it('stops the send that would exceed the limit', () => {
    expect(frequencyLimitExceeded(limited, fixedCount(3), RECIPIENT_KEY, 'ORDER_FILLED', 0)).toBe(
      '3 ORDER_FILLED notifications in the last hour, limit 3',
    );
  });

  it('leaves types without a limit alone', () => {
    expect(frequencyLimitExceeded(limited, fixedCount(1_000), RECIPIENT_KEY, 'MARGIN_CALL', 0)).toBeNull();
  });

  it('asks the view about this recipient and type at this instant', () => {
    const asked: unknown[] = [];
    frequencyLimitExceeded(
      limited,
      {
        sendsInLastHour: (...args) => {
          asked.push(args);
          return 0;
        },
      },
      RECIPIENT_KEY,
      'ORDER_FILLED',
      42,
    );
    expect(asked).toEqual([[RECIPIENT_KEY, 'ORDER_FILLED', 42]]);
  });

  it('reads a limit of 0 as "none of this type"', () => {
    expect(
      frequencyLimitExceeded(testPreferences({ frequency_limits: { ORDER_FILLED: 0 } }), fixedCount(0), RECIPIENT_KEY, 'ORDER_FILLED', 0),
    ).not.toBeNull();
  });

  it.each([-1, 1.5, Number.NaN])('ignores the malformed limit %d', (limit) => {
    expect(
      frequencyLimitExceeded(
        testPreferences({ frequency_limits: { ORDER_FILLED: limit } }),
        fixedCount(99),
        RECIPIENT_KEY,
        'ORDER_FILLED',
        0,
      ),
    ).toBeNull();
  });
});
