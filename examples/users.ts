// User helpers with the kind of slowness that hides in real code.

interface User {
  id: number;
  name: string;
  tags: string[];
}

export function commonUsers(a: User[], b: User[]): User[] {
  return a.filter((user) => b.find((other) => other.id === user.id) !== undefined);
}

export function collectTags(users: User[]): string[] {
  let tags: string[] = [];
  for (const user of users) {
    tags = [...tags, ...user.tags];
  }
  return tags;
}

export async function loadAll(ids: number[], load: (id: number) => Promise<User>): Promise<User[]> {
  const users: User[] = [];
  for (const id of ids) {
    users.push(await load(id));
  }
  return users;
}
