// Wraps its input in brackets: "abc" -> "[abc]".
export function exec_task(input: string): string {
  return "[" + input + "]";
}
