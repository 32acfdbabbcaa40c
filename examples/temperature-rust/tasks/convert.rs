// Temp data conversion: a reading in degrees Celsius in (as text, e.g. "21.5"), the same
// reading in kelvin out with two decimals ("294.65"). Input that is not a number gives "",
// which pelato does not publish: the reading is dropped.

pub fn exec_task(input: String) -> String {
    match input.trim().parse::<f64>() {
        Ok(celsius) if celsius.is_finite() => format!("{:.2}", celsius + 273.15),
        _ => String::new(), // not a number, or "inf"/"NaN"
    }
}
