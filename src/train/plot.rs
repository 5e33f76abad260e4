//! Line charts as SVG: the cost-vs-iterations curves the notes plot everywhere.
//!
//! SVG is text, so it needs no image or font crate and opens in any browser. Axis ticks use
//! "nice" steps (1, 2 or 5 × 10ᵏ); long series are averaged down to at most 1000 points.

use std::fmt::Write as _;
use std::path::Path;

use crate::Result;

const W: f64 = 720.0;
const H: f64 = 420.0;
/// Margins: left, right, top, bottom.
const L: f64 = 70.0;
const R: f64 = 20.0;
const T: f64 = 40.0;
const B: f64 = 50.0;
const COLORS: [&str; 6] = [
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#17becf",
];
const MAX_POINTS: usize = 1000;

/// One named series of `(x, y)` points.
#[derive(Clone, Debug)]
pub struct Series {
    /// Legend text.
    pub name: String,
    /// The points, in x order.
    pub points: Vec<(f64, f64)>,
}

impl Series {
    /// A series from `y` values at x = 0, 1, 2, …
    pub fn from_values(name: impl Into<String>, ys: &[f64]) -> Self {
        Self {
            name: name.into(),
            points: ys.iter().enumerate().map(|(i, &y)| (i as f64, y)).collect(),
        }
    }
}

/// A chart with a title, axis labels and series.
#[derive(Clone, Debug, Default)]
pub struct Chart {
    /// Title above the plot.
    pub title: String,
    /// Label under the x axis.
    pub x_label: String,
    /// Label beside the y axis.
    pub y_label: String,
    /// The lines.
    pub series: Vec<Series>,
}

/// A step of 1, 2 or 5 × 10ᵏ giving about `n` intervals over `span`.
fn nice_step(span: f64, n: f64) -> f64 {
    let raw = (span / n).max(f64::MIN_POSITIVE);
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    mag * if f < 1.5 {
        1.0
    } else if f < 3.5 {
        2.0
    } else if f < 7.5 {
        5.0
    } else {
        10.0
    }
}

/// Averages consecutive points so at most `MAX_POINTS` remain.
fn thin(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let k = points.len().div_ceil(MAX_POINTS).max(1);
    points
        .chunks(k)
        .map(|c| {
            let n = c.len() as f64;
            (
                c.iter().map(|p| p.0).sum::<f64>() / n,
                c.iter().map(|p| p.1).sum::<f64>() / n,
            )
        })
        .collect()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

impl Chart {
    /// The chart as an SVG document. Non-finite points are skipped.
    pub fn to_svg(&self) -> String {
        let series: Vec<(&str, Vec<(f64, f64)>)> = self
            .series
            .iter()
            .map(|s| {
                (
                    s.name.as_str(),
                    thin(
                        &s.points
                            .iter()
                            .copied()
                            .filter(|p| p.0.is_finite() && p.1.is_finite())
                            .collect::<Vec<_>>(),
                    ),
                )
            })
            .collect();
        let all = series.iter().flat_map(|s| s.1.iter());
        let (mut x0, mut x1, mut y0, mut y1) = (
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        );
        for &(x, y) in all {
            (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
        }
        if x0 > x1 {
            (x0, x1, y0, y1) = (0.0, 1.0, 0.0, 1.0);
        }
        let (xs, ys) = (
            nice_step((x1 - x0).max(1e-12), 8.0),
            nice_step((y1 - y0).max(1e-12), 6.0),
        );
        let (x0, x1) = ((x0 / xs).floor() * xs, ((x1 / xs).ceil() * xs).max(x0 + xs));
        let (y0, y1) = ((y0 / ys).floor() * ys, ((y1 / ys).ceil() * ys).max(y0 + ys));
        let px = |x: f64| L + (x - x0) / (x1 - x0) * (W - L - R);
        let py = |y: f64| H - B - (y - y0) / (y1 - y0) * (H - T - B);

        let mut s = String::new();
        let _ = write!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">"#
        );
        let _ = write!(s, r#"<rect width="{W}" height="{H}" fill="white"/>"#);
        let _ = write!(
            s,
            r#"<text x="{}" y="24" text-anchor="middle" font-size="15">{}</text>"#,
            W / 2.0,
            escape(&self.title)
        );
        let mut t = x0;
        while t <= x1 + xs * 1e-9 {
            let _ = write!(
                s,
                r##"<line x1="{0:.1}" y1="{1}" x2="{0:.1}" y2="{2}" stroke="#eee"/><text x="{0:.1}" y="{3}" text-anchor="middle">{4}</text>"##,
                px(t),
                T,
                H - B,
                H - B + 16.0,
                tick(t, xs)
            );
            t += xs;
        }
        let mut t = y0;
        while t <= y1 + ys * 1e-9 {
            let _ = write!(
                s,
                r##"<line x1="{0}" y1="{1:.1}" x2="{2}" y2="{1:.1}" stroke="#eee"/><text x="{3}" y="{4:.1}" text-anchor="end">{5}</text>"##,
                L,
                py(t),
                W - R,
                L - 6.0,
                py(t) + 4.0,
                tick(t, ys)
            );
            t += ys;
        }
        let _ = write!(
            s,
            r##"<rect x="{L}" y="{T}" width="{}" height="{}" fill="none" stroke="#444"/>"##,
            W - L - R,
            H - T - B
        );
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
            (L + W - R) / 2.0,
            H - 12.0,
            escape(&self.x_label)
        );
        let _ = write!(
            s,
            r#"<text transform="translate(16 {}) rotate(-90)" text-anchor="middle">{}</text>"#,
            (T + H - B) / 2.0,
            escape(&self.y_label)
        );
        for (i, (name, pts)) in series.iter().enumerate() {
            let color = COLORS[i % COLORS.len()];
            let path: Vec<String> = pts
                .iter()
                .map(|&(x, y)| format!("{:.1},{:.1}", px(x), py(y)))
                .collect();
            let _ = write!(
                s,
                r#"<polyline fill="none" stroke="{color}" stroke-width="1.5" points="{}"/>"#,
                path.join(" ")
            );
            let ly = T + 16.0 + 16.0 * i as f64;
            let _ = write!(
                s,
                r#"<line x1="{}" y1="{ly}" x2="{}" y2="{ly}" stroke="{color}" stroke-width="3"/><text x="{}" y="{}">{}</text>"#,
                W - R - 150.0,
                W - R - 130.0,
                W - R - 124.0,
                ly + 4.0,
                escape(name)
            );
        }
        s.push_str("</svg>\n");
        s
    }

    /// Writes the SVG atomically.
    ///
    /// # Errors
    /// [`crate::Error::Io`] naming the file.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        crate::atomic::write(path, self.to_svg().as_bytes())
    }
}

/// A tick label with as many decimals as the step needs.
fn tick(v: f64, step: f64) -> String {
    let decimals = (-step.log10().floor()).max(0.0) as usize;
    format!("{v:.decimals$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_steps_are_1_2_5_times_a_power_of_ten() {
        assert_eq!(nice_step(10.0, 5.0), 2.0);
        assert_eq!(nice_step(0.7, 6.0), 0.1);
        assert_eq!(nice_step(3000.0, 8.0), 500.0);
    }

    #[test]
    fn svg_has_one_polyline_per_series_and_escapes_text() {
        let chart = Chart {
            title: "cost <train>".into(),
            x_label: "iteration".into(),
            y_label: "J".into(),
            series: vec![
                Series::from_values("a", &[3.0, 2.0, 1.0]),
                Series::from_values("b", &[1.0, f64::NAN, 0.5]),
            ],
        };
        let svg = chart.to_svg();
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert!(svg.contains("cost &lt;train&gt;"));
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
        // Series b keeps its 2 finite points.
        let b = svg.split("<polyline").nth(2).unwrap();
        assert_eq!(
            b.split("points=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .split(' ')
                .count(),
            2
        );
    }

    #[test]
    fn long_series_are_thinned_by_averaging() {
        let pts: Vec<(f64, f64)> = (0..2500).map(|i| (i as f64, 1.0)).collect();
        let t = thin(&pts);
        assert_eq!(t.len(), 834); // chunks of 3
        assert_eq!(t[0], (1.0, 1.0));
    }
}
