//! The report's typeface, embedded in the binary: Liberation Sans (SIL OFL 1.1, see
//! `assets/fonts/`). Text is measured with the same font files that are embedded in the PDF.

use std::collections::BTreeMap;

pub const FAMILY: &str = "Liberation Sans";
pub const REGULAR: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Regular.ttf");
pub const BOLD: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Bold.ttf");
pub const ITALIC: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Italic.ttf");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Face {
    Regular,
    Bold,
    Italic,
}

impl Face {
    pub fn bytes(self) -> &'static [u8] {
        match self {
            Face::Regular => REGULAR,
            Face::Bold => BOLD,
            Face::Italic => ITALIC,
        }
    }
}

/// The fonts an SVG chart may use, keyed by name, for `printpdf::Svg::parse_with_fonts`.
pub fn for_svg() -> BTreeMap<String, Vec<u8>> {
    BTreeMap::from([(format!("{FAMILY} Regular"), REGULAR.to_vec()), (format!("{FAMILY} Bold"), BOLD.to_vec())])
}

/// Advance widths of one face, read once, for line breaking.
pub struct Metrics {
    units_per_em: f32,
    widths: Vec<u16>,
    cmap: BTreeMap<char, u16>,
    fallback: u16,
}

impl Metrics {
    pub fn load(face: Face) -> Metrics {
        let mut widths = Vec::new();
        let mut cmap = BTreeMap::new();
        let mut units_per_em = 2048.0;
        let mut fallback = 0;
        // The embedded files are known-good; a parse failure would give zero widths, not a panic.
        if let Ok(parsed) = ttf_parser::Face::parse(face.bytes(), 0) {
            units_per_em = parsed.units_per_em() as f32;
            widths = (0..parsed.number_of_glyphs())
                .map(|g| parsed.glyph_hor_advance(ttf_parser::GlyphId(g)).unwrap_or(0))
                .collect();
            if let Some(table) = parsed.tables().cmap {
                for subtable in table.subtables.into_iter().filter(|s| s.is_unicode()) {
                    subtable.codepoints(|cp| {
                        if let (Some(c), Some(g)) = (char::from_u32(cp), subtable.glyph_index(cp)) {
                            cmap.entry(c).or_insert(g.0);
                        }
                    });
                }
            }
            fallback = parsed.glyph_index('?').map(|g| g.0).unwrap_or(0);
        }
        Metrics { units_per_em, widths, cmap, fallback }
    }

    pub fn has_glyph(&self, c: char) -> bool {
        self.cmap.contains_key(&c)
    }

    /// Width of `text` in points at `size` points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text
            .chars()
            .map(|c| {
                let glyph = self.cmap.get(&c).copied().unwrap_or(self.fallback);
                self.widths.get(glyph as usize).copied().unwrap_or(0) as u32
            })
            .sum();
        units as f32 * size / self.units_per_em
    }
}
