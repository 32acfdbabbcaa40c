// Data filter: a temperature in kelvin in (as text), the same text out when it is a plausible
// reading, between 173.15 K and 373.15 K (-100 °C to 100 °C); anything else is a measurement
// error and gives "", which pelato does not publish: the reading is dropped.

const MIN_KELVIN: f64 = 173.15;
const MAX_KELVIN: f64 = 373.15;

pub fn exec_task(input: String) -> String {
    match input.trim().parse::<f64>() {
        Ok(kelvin) if (MIN_KELVIN..=MAX_KELVIN).contains(&kelvin) => input, // unchanged
        _ => String::new(),
    }
}
