"""A small list of common English words (our own, lower case) for the word families: spelling,
jumbles, anagram groups and word ladders. Kept as Python data so it ships with the package."""

from __future__ import annotations

_TEXT = """
ace act add age ago aid aim air all and ant any ape arc are arm art ash ask ate bad bag ban bar
bat bay bed bee beg bet bid big bin bit box boy bud bug bun bus but buy cab can cap car cat cow
cry cub cup cut dad day den dew did die dig dim dip dog dot dry due dug ear eat egg elf end era
eve eye fan far fat fed fee few fig fin fit fix fly fog for fox fun fur gap gas gel get god got
gum gun gut guy gym had ham has hat hay hen her hid him hip his hit hog hop hot how hub hug hut
ice ill ink inn ion its jam jar jaw jet job jog joy jug key kid kin kit lab lad lap law lay led
leg let lid lie lip lit log lot low mad man map mat may men met mix mob mop mud mug nap net new
nod nor not now nut oak oar oat odd off oil old one opt orb ore our out owl own pad pal pan pat
paw pay pea pen pet pie pig pin pit pod pop pot pub pun pup put rag ram ran rat raw ray red rib
rid rig rim rip rob rod rot row rub rug run rut sad sag sap sat saw say sea see set sew she shy
sip sir sit six ski sky sly sob son sow soy spa spy sub sum sun tab tag tan tap tar tea ten the
tie tin tip toe ton too top tow toy try tub tug two urn use van vat vet vow wag war was wax way
web wed wet who why wig win wit woe won wow yak yam yes yet you zip zoo
able acid aged also area army away baby back bake bald ball band bank bare bark barn base bath
bead beam bean bear beat beef been beer bell belt bend best bike bill bind bird bite blow blue
boat body bold bolt bone book boot bore born boss both bowl bulk bull burn bush busy cage cake
call calm came camp cane cape card care cart case cash cast cave cell chat chip city clay clip
club coal coat code coin cold come cook cool cope copy cord core corn cost crew crop cure dare
dark dart dash data date dawn dead deal dear debt deck deep deer desk dial dice diet dine dirt
dish dive dock does dome done door dose dove down drag draw drop drum duck dull dune dust duty
each earn ease east easy edge else even ever face fact fade fail fair fake fall fame farm fast
fate fear feed feel feet fell felt file fill film find fine fire firm fish fist five flag flat
flew flip flow foam fold folk fond food fool foot fork form fort foul four free frog from fuel
full fund gain gale game gate gave gaze gear gift girl give glad glow glue goal goat gold golf
gone good gown grab gray grew grid grin grip grow gulf hail hair half hall hand hang hard harm
hate have head heal heap hear heat held hell helm help herb here hero hide high hike hill hint
hire hold hole holy home hood hook hope horn hose host hour huge hunt hurt idea inch into iron
item jail join joke jump jury just keen keep kept kick kind king kiss kite knee knew knit knot
know lace lack lady laid lake lamb lamp land lane last late lawn lazy lead leaf lean leap left
lend less lick life lift like lime line link lion list live load loan lock logo long look loop
lord lose loss lost loud love luck lung made mail main make male mall many mark mask mass mate
meal mean meat meet melt memo menu mere mesh mild milk mill mind mine mint miss mist mode mold
mole mood moon more most moth move much mule must name near neat neck need nest news next nice
nine node none noon norm nose note oath obey odds once only open oven over pace pack page paid
pain pair pale palm park part pass past path peak pear peel pick pile pill pine pink pipe plan
play plot plug plus poem poet pole poll pond pool poor pork port pose post pour pray pull pump
pure push race rack rage raid rail rain rank rare rate read real rear rely rent rest rice rich
ride ring rise risk road roar robe rock role roll roof room root rope rose rule rush rust safe
said sail sake sale salt same sand sang save seal seat seed seek seem seen self sell send sent
ship shoe shop shot show shut sick side sign silk sing sink site size skin slip slow snow soap
soft soil sold sole some song soon sort soul soup sour spin spot star stay stem step stir stop
such suit sure swim tail take tale talk tall tank tape task team tear tell tend tent term test
text than that them then they thin this tide tidy tile till time tiny tire toad told toll tone
tool tops torn tour town trap tray tree trim trip true tube tune turn twin type unit upon used
user vary vast verb very vest view vine vote wade wage wait wake walk wall want warm warn wash
wave weak wear week well went were west what when whip wide wife wild will wind wine wing wire
wise wish with wolf wood wool word wore work worm wrap yard yarn year yell zero zone
about above actor adult after again agent agree ahead alarm album alert alike alive allow alone
along alter among angel anger angle angry apart apple apply arena argue arise armor array arrow
aside asset audio avoid awake award aware bacon badge basic beach beard beast begin being below
bench berry birth black blade blame blank blast blend bless blind block blood board boost bound
brain brand brave bread break brick bride brief bring broad brown brush build bunch burst cabin
cable candy cargo carry catch cause chain chair chalk charm chart chase cheap check cheek chess
chest chief child chill civil claim class clean clear clerk click cliff climb clock close cloth
cloud coach coast color couch count court cover crack craft crane crash cream crime crisp cross
crowd crown crust curve cycle daily dance death delay depth dirty dozen draft drain drama dream
dress drift drink drive eager early earth eight elbow elder empty enemy enjoy enter entry equal
error event exact exist extra faith false fancy fault feast fence fever field fifty fight final
flame flash fleet flesh float flock flood floor flour fluid focus force forge forth forum frame
fresh front frost fruit funny giant given glass globe glory glove grace grade grain grand grant
grape grass grave great green greet grief group guard guess guest guide habit happy harsh heart
heavy hedge hello honey honor horse hotel house human humor hurry ideal image index inner input
issue ivory jelly jewel joint judge juice knife knock label labor large laser later laugh layer
learn lease least leave legal lemon level light limit linen liver lobby local lodge logic loose
lover lower loyal lucky lunch magic major maker maple march match mayor medal metal meter midst
might minor model money month moral motor mount mouse mouth movie music nerve never night noble
noise north novel nurse ocean offer often olive onion opera orbit order organ other outer owner
paint panel paper party pasta patch pause peace pearl phase phone photo piano piece pilot pitch
place plain plane plant plate point porch pound power press price pride prime print prize proof
proud prove pulse punch pupil queen quick quiet quite radio raise range rapid ratio reach ready
realm refer relax reply rider ridge rifle right rigid river roast robot rocky round route royal
rural salad sauce scale scarf scene scent scope score scout screw sense serve seven shade shake
shape share sharp sheep sheet shelf shell shift shine shirt shock shore short shout sight silly
since skill skirt sleep slice slide slope small smart smell smile smoke snake solar solid solve
sound south space spare speak speed spend spice spine spoon sport staff stage stair stake stamp
stand start state steak steam steel steep stick still stock stone stool storm story stove straw
strip study style sugar sunny super sweet swing sword table taste teach thank theme thick thief
thing think third thumb tiger title toast today token tooth topic total touch tough towel tower
trace track trade trail train treat trend trial tribe trick truck trust truth twice uncle under
union unity upper upset urban usage usual valid value venue video visit vital voice waste watch
water wheat wheel while white whole woman world worry worth wound write wrong yield young youth
animal answer autumn basket battle beauty before bottle branch bridge bright broken bubble button
camera candle carbon carpet castle center chance change cheese choice circle clever coffee cotton
county credit dinner doctor dollar double dragon drawer energy engine family farmer father finger
flight flower forest friend future garden gentle ginger global golden guitar hammer harbor health
height helmet hunter island jacket jungle kettle kitten ladder launch leader legend lesson letter
little market master meadow middle minute mirror modern moment monkey mother museum nature needle
number orange palace parent pepper pencil people pillow planet pocket potato public purple rabbit
rescue rhythm ribbon rocket saddle salmon school season secret silver simple singer sister spirit
spring square stable street strong summer sunset supper table tender thread ticket timber tomato
travel turkey tunnel valley velvet violin wallet window winter wonder yellow
"""

WORDS: tuple[str, ...] = tuple(dict.fromkeys(_TEXT.split()))

# Words whose letters can be rearranged into other words of the list or of this table: the
# anagram-group family draws whole groups from here (every word here is a common word).
ANAGRAM_GROUPS: tuple[tuple[str, ...], ...] = tuple(
    tuple(line.split())
    for line in """
    listen silent enlist tinsel inlets
    stop pots tops spot post opts
    evil vile live veil
    angel glean angle
    heart earth hater
    night thing
    dusty study
    state taste
    rat tar art
    pea ape
    act cat
    arc car
    dog god
    now own won
    ate eat tea
    stale steal least tales slate
    lemon melon
    peach cheap
    below elbow bowel
    sword words
    march charm
    alert alter later
    parse spare spear pears reaps
    tide edit diet
    meat team mate tame
    lime mile
    rose sore ores
    care race acre
    vase save
    lead deal dale
    mean name mane amen
    dear read dare
    fired fried
    ocean canoe
    cider cried dicer
    brag grab garb
    lamp palm
    deer reed
    earn near
    thorn north
    cheat teach
    sacred scared cedars
    secure rescue
    danger garden ranged
    players parsley replays
    """.strip().splitlines()
)

# every known word: the list plus the anagram table (the letter jumble accepts any of them)
WORD_SET: frozenset[str] = frozenset(WORDS) | frozenset(w for g in ANAGRAM_GROUPS for w in g)
