//! The warning horizon of `--within`: how far ahead of the as-of day an end of life counts as
//! "expiring", written as a number and a unit (`180d`, `2w`, `6m`, `1y`).

use std::fmt;
use std::str::FromStr;

use thiserror::Error;
use time::{Date, Duration, Month};

/// A horizon as written: months and years are calendar months and years from the as-of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Horizon {
    /// How many units.
    pub count: u32,
    /// Which unit.
    pub unit: Unit,
}

/// The unit of a horizon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Days (`d`).
    Days,
    /// Weeks (`w`).
    Weeks,
    /// Calendar months (`m`).
    Months,
    /// Calendar years (`y`).
    Years,
}

/// A horizon that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("`{text}` is not a horizon: write a number and a unit, d (days), w (weeks), m (months) or y (years), e.g. 180d, 6m, 1y")]
pub struct HorizonError {
    /// The text given.
    pub text: String,
}

impl FromStr for Horizon {
    type Err = HorizonError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let error = || HorizonError { text: text.to_owned() };
        let trimmed = text.trim();
        let split = trimmed.find(|c: char| !c.is_ascii_digit()).ok_or_else(error)?;
        let (number, unit) = trimmed.split_at(split);
        let count: u32 = number.parse().map_err(|_| error())?;
        let unit = match unit.trim().to_ascii_lowercase().as_str() {
            "d" | "day" | "days" => Unit::Days,
            "w" | "week" | "weeks" => Unit::Weeks,
            "m" | "month" | "months" => Unit::Months,
            "y" | "year" | "years" => Unit::Years,
            _ => return Err(error()),
        };
        let horizon = Self { count, unit };
        if horizon.days_at_most() > MAX_DAYS {
            return Err(error());
        }
        Ok(horizon)
    }
}

impl fmt::Display for Horizon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.unit {
            Unit::Days => 'd',
            Unit::Weeks => 'w',
            Unit::Months => 'm',
            Unit::Years => 'y',
        };
        write!(f, "{}{unit}", self.count)
    }
}

/// The farthest horizon taken, about a century: more than any sweep needs, and far from the
/// calendar's end.
const MAX_DAYS: u64 = 36_600;

impl Horizon {
    /// The most days the horizon can span, whatever the as-of day.
    fn days_at_most(self) -> u64 {
        let count = u64::from(self.count);
        match self.unit {
            Unit::Days => count,
            Unit::Weeks => count * 7,
            Unit::Months => count * 31,
            Unit::Years => count * 366,
        }
    }

    /// The last day the horizon reaches from `as_of`; `None` past the calendar's end.
    pub fn end(self, as_of: Date) -> Option<Date> {
        match self.unit {
            Unit::Days => as_of.checked_add(Duration::days(i64::from(self.count))),
            Unit::Weeks => as_of.checked_add(Duration::weeks(i64::from(self.count))),
            Unit::Months => add_months(as_of, self.count),
            Unit::Years => add_months(as_of, self.count.checked_mul(12)?),
        }
    }

    /// The horizon in days from `as_of` (what the lifecycle evaluation takes).
    pub fn days_from(self, as_of: Date) -> u32 {
        let end = self.end(as_of).unwrap_or(Date::MAX);
        u32::try_from((end - as_of).whole_days()).unwrap_or(u32::MAX)
    }
}

/// `day` moved `months` calendar months on, on the same day of the month or the month's last.
fn add_months(day: Date, months: u32) -> Option<Date> {
    let index = i64::from(day.year()) * 12 + i64::from(u8::from(day.month()) - 1) + i64::from(months);
    let year = i32::try_from(index.div_euclid(12)).ok()?;
    let month = Month::try_from(u8::try_from(index.rem_euclid(12) + 1).ok()?).ok()?;
    let last = month.length(year);
    Date::from_calendar_date(year, month, day.day().min(last)).ok()
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn horizon(text: &str) -> Horizon {
        text.parse().unwrap()
    }

    #[test]
    fn units_read_and_reach_calendar_days() {
        let as_of = date!(2025 - 01 - 31);
        assert_eq!(horizon("180d").end(as_of), Some(date!(2025 - 07 - 30)));
        assert_eq!(horizon("2w").end(as_of), Some(date!(2025 - 02 - 14)));
        assert_eq!(horizon("1m").end(as_of), Some(date!(2025 - 02 - 28)), "the month's last day");
        assert_eq!(horizon("6m").end(as_of), Some(date!(2025 - 07 - 31)));
        assert_eq!(horizon("1y").end(date!(2024 - 02 - 29)), Some(date!(2025 - 02 - 28)));
        assert_eq!(horizon("13 months").end(as_of), Some(date!(2026 - 02 - 28)));
        assert_eq!(horizon("0d").days_from(as_of), 0);
        assert_eq!(horizon("1y").days_from(date!(2024 - 01 - 01)), 366);
        assert_eq!(horizon("6M").to_string(), "6m");
    }

    #[test]
    fn bad_horizons_say_how_to_write_one() {
        for bad in ["", "180", "d", "6 fortnights", "-3d", "1.5y", "99999999y"] {
            let error = bad.parse::<Horizon>().unwrap_err();
            assert!(error.to_string().contains("e.g. 180d, 6m, 1y"), "{bad}: {error}");
        }
    }
}
