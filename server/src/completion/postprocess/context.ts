// What every post-processing filter is given, and its type.

/** What a filter knows besides the completion: the document around the cursor. */
export interface PostprocessContext {
  /** The document text before the cursor, and after it. */
  prefix: string;
  suffix: string;
  /** The cursor's line up to the cursor. */
  linePrefix: string;
  /** That line has code before the cursor (not only indentation). */
  lineHasCode: boolean;
  maxLines: number;
}

export type Filter = (text: string, ctx: PostprocessContext) => string;
