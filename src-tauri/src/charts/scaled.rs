//! A chart laid out at one size and drawn at another: the plotters backend
//! that multiplies every coordinate, line width and radius before handing
//! the shape on. A PNG at twice a slide's pixels (a PPTX picture, "PNG 2x")
//! is then the same layout as the slide, sharp on a high-density screen,
//! not a chart laid out for a screen twice as large with text half as big.

use plotters_backend::{BackendColor, BackendCoord, BackendStyle, DrawingBackend, DrawingErrorKind};

/// `inner` is `scale` times the size the chart is laid out at.
pub(super) struct ScaledBackend<DB> {
    pub(super) inner: DB,
    pub(super) scale: f64,
}

/// A style's colour with its width scaled.
struct ScaledStyle {
    colour: BackendColor,
    width: u32,
}

impl BackendStyle for ScaledStyle {
    fn color(&self) -> BackendColor {
        self.colour
    }

    fn stroke_width(&self) -> u32 {
        self.width
    }
}

impl<DB: DrawingBackend> ScaledBackend<DB> {
    fn at(&self, (x, y): BackendCoord) -> BackendCoord {
        ((f64::from(x) * self.scale).round() as i32, (f64::from(y) * self.scale).round() as i32)
    }

    fn style<S: BackendStyle>(&self, style: &S) -> ScaledStyle {
        let width = (f64::from(style.stroke_width()) * self.scale).round().max(1.0) as u32;
        ScaledStyle { colour: style.color(), width }
    }
}

impl<DB: DrawingBackend> DrawingBackend for ScaledBackend<DB> {
    type ErrorType = DB::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        let (width, height) = self.inner.get_size();
        ((f64::from(width) / self.scale).round() as u32, (f64::from(height) / self.scale).round() as u32)
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.present()
    }

    fn draw_pixel(&mut self, at: BackendCoord, colour: BackendColor) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let (from, to) = (self.at(at), self.at((at.0 + 1, at.1 + 1)));
        self.inner.draw_rect(from, (to.0 - 1, to.1 - 1), &ScaledStyle { colour, width: 1 }, true)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let style = self.style(style);
        self.inner.draw_line(self.at(from), self.at(to), &style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        filled: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let style = self.style(style);
        self.inner.draw_rect(self.at(upper_left), self.at(bottom_right), &style, filled)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let style = self.style(style);
        let points: Vec<BackendCoord> = path.into_iter().map(|p| self.at(p)).collect();
        self.inner.draw_path(points, &style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        centre: BackendCoord,
        radius: u32,
        style: &S,
        filled: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let style = self.style(style);
        let radius = (f64::from(radius) * self.scale).round() as u32;
        self.inner.draw_circle(self.at(centre), radius, &style, filled)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vertices: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let style = self.style(style);
        let points: Vec<BackendCoord> = vertices.into_iter().map(|p| self.at(p)).collect();
        self.inner.fill_polygon(points, &style)
    }
}
