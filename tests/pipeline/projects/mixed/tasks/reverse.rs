// Reverses its input, character by character (not byte by byte: UTF-8 stays valid).
pub fn exec_task(input: String) -> String {
    input.chars().rev().collect()
}
