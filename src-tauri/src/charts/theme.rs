//! The chart's colours. Every drawing takes them from a `Theme`, so a chart
//! can be printed on white paper or shown on a projector in a dark room.

use plotters::style::RGBColor;

use crate::metrics::Verdict;

/// A palette. The fields stay inside the crate so plotters' colour type is
/// not part of the public API: callers choose `LIGHT` or `DARK`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub(crate) background: RGBColor,
    /// Titles, names, whiskers.
    pub(crate) ink: RGBColor,
    /// Subtitles, axis ticks, the legend.
    pub(crate) muted: RGBColor,
    pub(crate) grid: RGBColor,
    pub(crate) at_norm: RGBColor,
    pub(crate) below_norm: RGBColor,
    /// A verdict of too few leads to tell: the interval holds the norm.
    pub(crate) undecided: RGBColor,
    pub(crate) norm_line: RGBColor,
    /// Text on a cell filled with a verdict's colour.
    pub(crate) on_colour: RGBColor,
    /// The marker of a group's rate in the compared period: a colour no
    /// verdict has, so no one reads it as one.
    pub(crate) compared: RGBColor,
}

impl Theme {
    /// For paper and the window: the colours the charts have always had.
    pub const LIGHT: Theme = Theme {
        background: RGBColor(0xff, 0xff, 0xff),
        ink: RGBColor(0x1f, 0x29, 0x37),
        muted: RGBColor(0x6b, 0x72, 0x80),
        grid: RGBColor(0xe5, 0xe7, 0xeb),
        at_norm: RGBColor(0x25, 0x63, 0xeb),
        below_norm: RGBColor(0xea, 0x58, 0x0c),
        undecided: RGBColor(0x9c, 0xa3, 0xaf),
        norm_line: RGBColor(0x11, 0x18, 0x27),
        on_colour: RGBColor(0xff, 0xff, 0xff),
        compared: RGBColor(0x7c, 0x3a, 0xed),
    };

    /// For a projector (meeting mode): a dark background, light text, and
    /// the verdict colours a shade lighter, because a projector washes dark
    /// colours into the background. The verdict colours are light enough
    /// that text on them is dark.
    pub const DARK: Theme = Theme {
        background: RGBColor(0x11, 0x18, 0x27),
        ink: RGBColor(0xf9, 0xfa, 0xfb),
        muted: RGBColor(0x9c, 0xa3, 0xaf),
        grid: RGBColor(0x37, 0x41, 0x51),
        at_norm: RGBColor(0x60, 0xa5, 0xfa),
        below_norm: RGBColor(0xfb, 0x92, 0x3c),
        undecided: RGBColor(0xa8, 0xa2, 0x9e),
        norm_line: RGBColor(0xf3, 0xf4, 0xf6),
        on_colour: RGBColor(0x11, 0x18, 0x27),
        compared: RGBColor(0xc4, 0xb5, 0xfd),
    };
}

impl Theme {
    /// What colour means in every chart and table: the verdict, not where
    /// the rate lies. A rate above the norm whose interval still holds the
    /// norm is undecided, and coloured so, as its words say.
    pub(crate) fn verdict(&self, verdict: Verdict) -> RGBColor {
        match verdict {
            Verdict::Below => self.below_norm,
            Verdict::Undecided => self.undecided,
            Verdict::Above => self.at_norm,
        }
    }

    /// A colour faded towards the background: what is not in the spotlight.
    pub(crate) fn dimmed(&self, colour: RGBColor) -> RGBColor {
        let fade = |c: u8, b: u8| ((f32::from(c) * DIMMED + f32::from(b) * (1.0 - DIMMED)).round()) as u8;
        RGBColor(fade(colour.0, self.background.0), fade(colour.1, self.background.1), fade(colour.2, self.background.2))
    }
}

/// How much of its colour a dimmed bar keeps: enough to see it is there,
/// little enough that the one in the spotlight is what the room looks at.
const DIMMED: f32 = 0.25;

impl Default for Theme {
    fn default() -> Self {
        Theme::LIGHT
    }
}
