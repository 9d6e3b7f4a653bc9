import { parseClockTime } from './clock-time';

describe('parseClockTime', () => {
  it.each([
    ['00:00', 0],
    ['07:00', 420],
    ['22:30', 1350],
    ['23:59', 1439],
    ['7:05', 425],
    [' 08:15 ', 495],
  ])('reads %j as %d minutes after midnight', (text, minutes) => {
    expect(parseClockTime(text)).toBe(minutes);
  });

  it.each(['24:00', '23:60', '7', '07:5', '07-00', '', 'noon', '007:00', '-1:00', '07:00:00'])('refuses %j', (text) => {
    expect(parseClockTime(text)).toBeNull();
  });
});
