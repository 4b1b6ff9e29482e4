/**
 * A small Markdown renderer for the activity logs: headings, paragraphs, lists, task lists, fenced
 * code, `code` and **bold**. It builds React elements from text and never injects HTML: whatever a
 * log contains (`<script>`, `<img onerror>`) is shown as text.
 */
import { Fragment, type ReactNode } from "react";

interface ListBlock {
  type: "list";
  ordered: boolean;
  items: { text: string; checked: boolean | null }[];
}

type Block =
  | { type: "heading"; level: number; text: string }
  | { type: "paragraph"; text: string }
  | ListBlock
  | { type: "code"; text: string };

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const BULLET = /^\s*[-*+]\s+(.*)$/;
const ORDERED = /^\s*\d+[.)]\s+(.*)$/;
const TASK = /^\[([ xX])\]\s+(.*)$/;
const FENCE = /^\s*(```|~~~)/;

/** The blocks of a Markdown text (exported for tests). */
export function parseBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  let paragraph: string[] = [];
  let list: ListBlock | null = null;
  const flush = () => {
    list = null;
    if (paragraph.length > 0) {
      blocks.push({ type: "paragraph", text: paragraph.join(" ") });
      paragraph = [];
    }
  };
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? "";
    const fence = FENCE.exec(line);
    if (fence) {
      flush();
      const code: string[] = [];
      index += 1;
      while (index < lines.length && !(lines[index] ?? "").trimStart().startsWith(fence[1] ?? "```")) {
        code.push(lines[index] ?? "");
        index += 1;
      }
      blocks.push({ type: "code", text: code.join("\n") });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      blocks.push({ type: "heading", level: heading[1]?.length ?? 1, text: heading[2] ?? "" });
      continue;
    }
    const bullet = BULLET.exec(line);
    const ordered = bullet ? null : ORDERED.exec(line);
    const item = bullet ?? ordered;
    if (item) {
      if (paragraph.length > 0) {
        flush();
      }
      if (list === null || list.ordered !== Boolean(ordered)) {
        list = { type: "list", ordered: Boolean(ordered), items: [] };
        blocks.push(list);
      }
      const task = TASK.exec(item[1] ?? "");
      list.items.push(
        task ? { text: task[2] ?? "", checked: task[1] !== " " } : { text: item[1] ?? "", checked: null },
      );
      continue;
    }
    if (line.trim() === "") {
      flush(); // a blank line ends a paragraph or a list
      continue;
    }
    list = null;
    paragraph.push(line.trim());
  }
  flush();
  return blocks;
}

const INLINE = /(`[^`]+`|\*\*[^*]+\*\*|\\[\\`*_{}[\]()#+\-.!|<>])/g;

/** `code`, **bold** and backslash escapes as React nodes; everything else as text. */
export function inline(text: string): ReactNode[] {
  return text.split(INLINE).map((piece, index) => {
    if (piece.startsWith("`") && piece.endsWith("`") && piece.length > 1) {
      return <code key={index}>{piece.slice(1, -1)}</code>;
    }
    if (piece.startsWith("**") && piece.endsWith("**") && piece.length > 4) {
      return <strong key={index}>{piece.slice(2, -2)}</strong>;
    }
    if (piece.length === 2 && piece.startsWith("\\")) {
      return <Fragment key={index}>{piece.slice(1)}</Fragment>;
    }
    return <Fragment key={index}>{piece}</Fragment>;
  });
}

export interface MarkdownProps {
  text: string;
  /** Headings shift down by this many levels (a page's own h1 comes first). */
  shift?: number;
}

export function Markdown({ text, shift = 1 }: MarkdownProps) {
  return (
    <>
      {parseBlocks(text).map((block, index) => {
        switch (block.type) {
          case "heading": {
            const level = Math.min(block.level + shift, 6);
            const Tag = `h${level}` as "h2";
            return <Tag key={index}>{inline(block.text)}</Tag>;
          }
          case "code":
            return (
              <pre key={index}>
                <code>{block.text}</code>
              </pre>
            );
          case "list": {
            const items = block.items.map((item, itemIndex) => (
              <li key={itemIndex}>
                {item.checked !== null && (
                  <input type="checkbox" checked={item.checked} readOnly disabled aria-label={item.checked ? "fait" : "à faire"} />
                )}{" "}
                {inline(item.text)}
              </li>
            ));
            return block.ordered ? <ol key={index}>{items}</ol> : <ul key={index}>{items}</ul>;
          }
          default:
            return <p key={index}>{inline(block.text)}</p>;
        }
      })}
    </>
  );
}
